// host/runtime/stack_guard.cc - thread stack bounds via pthread_getattr_np.
#include "stack_guard.h"

#include <pthread.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mapped_stack.h"

namespace pyhooks {

namespace stack_guard_detail {

__thread StackBounds bounds
    __attribute__((tls_model("initial-exec"), visibility("hidden")));

namespace {

constexpr size_t kStackReserve = 256 * 1024;

}  // namespace

void measure_bounds() {
  bounds.limit = 0;
  bounds.known = true;  // unknown bounds: never exhausted (limit 0)
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0) {
    return;
  }
  void* low = nullptr;
  size_t size = 0;
  if (pthread_attr_getstack(&attributes, &low, &size) == 0 && size > 0) {
    uintptr_t bottom = reinterpret_cast<uintptr_t>(low);
    uintptr_t top = bottom + size;
    uintptr_t mapped = main_thread_mapping_start(
        reinterpret_cast<uintptr_t>(__builtin_frame_address(0)));
    if (mapped != 0 && mapped < bottom) {
      bottom = mapped;  // grown by `pyhooks run` (mapped_stack.h)
      size = top - bottom;
    }
    size_t reserve = size / 4 < kStackReserve ? size / 4 : kStackReserve;
    bounds.limit = bottom + reserve;
  }
  pthread_attr_destroy(&attributes);
}

}  // namespace stack_guard_detail

}  // namespace pyhooks
