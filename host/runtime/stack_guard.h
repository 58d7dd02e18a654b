// host/runtime/stack_guard.h - how much C stack the current thread has left.
//
// With the eval-frame hook installed, every Python call is a C recursion
// (about half a kilobyte per level), and the host gives back CPython's
// per-entry C recursion units (compat.h), so the host itself must stop a
// runaway recursion before the C stack ends: it raises RecursionError instead
// of letting the process crash.
#pragma once

namespace pyhooks {

// True when less than the reserve (256 KiB, or a quarter of a small stack)
// remains below the caller's frame.
bool c_stack_exhausted();

}  // namespace pyhooks
