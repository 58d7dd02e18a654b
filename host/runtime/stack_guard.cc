// host/runtime/stack_guard.cc - thread stack bounds via pthread_getattr_np.
#include "stack_guard.h"

#include <pthread.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "mapped_stack.h"

namespace pyhooks {

namespace {

constexpr size_t kStackReserve = 256 * 1024;

struct StackBounds {
  uintptr_t limit = 0;  // below this address, the stack counts as exhausted
  bool known = false;
};

StackBounds measure() {
  StackBounds bounds;
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) != 0) {
    return bounds;
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
  bounds.known = true;
  return bounds;
}

}  // namespace

bool c_stack_exhausted() {
  // Read on every hooked call: initial-exec TLS is a plain %fs-relative
  // load, where the default model for a dlopen'd module calls
  // __tls_get_addr. The object is a few bytes of glibc's static TLS surplus.
  static thread_local StackBounds bounds
      __attribute__((tls_model("initial-exec")));
  if (!bounds.known) {
    bounds = measure();
  }
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < bounds.limit;
}

}  // namespace pyhooks
