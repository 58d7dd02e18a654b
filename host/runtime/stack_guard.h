// host/runtime/stack_guard.h - how much C stack the current thread has left.
//
// With the eval-frame hook installed, every Python call is a C recursion
// (about half a kilobyte per level), and the host gives back CPython's
// per-entry C recursion units (compat.h), so the host itself must stop a
// runaway recursion before the C stack ends: it raises RecursionError instead
// of letting the process crash.
#pragma once

#include <cstdint>

namespace pyhooks {

namespace stack_guard_detail {

// This thread's stack limit: below `limit` the stack counts as exhausted.
// Zero-initialized TLS (no constructor, so no TLS wrapper call); initial-exec,
// so reading it is one %fs-relative load, where the default model for a
// dlopen'd module calls __tls_get_addr. A few bytes of glibc's static TLS
// surplus.
struct StackBounds {
  uintptr_t limit;
  bool known;
};
extern __thread StackBounds bounds
    __attribute__((tls_model("initial-exec"), visibility("hidden")));

// Measures the thread's stack once (pthread_getattr_np); out of line.
void measure_bounds();

}  // namespace stack_guard_detail

// True when less than the reserve (256 KiB, or a quarter of a small stack)
// remains below the caller's frame. Inline: read on every hooked call.
__attribute__((always_inline)) inline bool c_stack_exhausted() {
  using stack_guard_detail::bounds;
  if (__builtin_expect(!bounds.known, 0)) {
    stack_guard_detail::measure_bounds();
  }
  return reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < bounds.limit;
}

}  // namespace pyhooks
