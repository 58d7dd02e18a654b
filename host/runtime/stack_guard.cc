// host/runtime/stack_guard.cc - thread stack bounds via pthread_getattr_np.
#include "stack_guard.h"

#include <pthread.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>

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
    size_t reserve = size / 4 < kStackReserve ? size / 4 : kStackReserve;
    bounds.limit = reinterpret_cast<uintptr_t>(low) + reserve;
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

void restore_default_thread_stack_size() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* text = std::getenv("PYHOOKS_THREAD_STACK_SIZE");
    if (text == nullptr || *text == '\0') {
      return;
    }
    char* end = nullptr;
    unsigned long long size = std::strtoull(text, &end, 10);
    if (*end != '\0' ||
        size < static_cast<unsigned long long>(PTHREAD_STACK_MIN)) {
      return;
    }
    pthread_attr_t attributes;
    if (pthread_attr_init(&attributes) != 0) {
      return;
    }
    if (pthread_attr_setstacksize(&attributes, static_cast<size_t>(size)) ==
        0) {
      pthread_setattr_default_np(&attributes);
    }
    pthread_attr_destroy(&attributes);
  });
}

}  // namespace pyhooks
