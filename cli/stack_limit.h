// cli/stack_limit.h - room for deep recursion in the program's main thread.
//
// Under the eval-frame hook every Python call is a C call too (about half a
// kilobyte of stack), so a program that raises sys.setrecursionlimit would
// hit the end of the usual 8 MiB main-thread stack long before plain python
// would stop it. pyhooks run execs the interpreter, so it can raise the soft
// RLIMIT_STACK first (to 1 GiB, or the hard limit); the main thread's stack
// then grows on demand. glibc also takes the default size of new threads
// from that limit, so the original is passed on (PYHOOKS_THREAD_STACK_SIZE)
// and the host module restores it as the default for threads, which keep
// exactly the stack plain python gives them.
#pragma once

namespace pyhooks {

// Raises the soft limit and sets PYHOOKS_THREAD_STACK_SIZE; does nothing if
// the limit is already large enough or unlimited.
void enlarge_main_stack();

}  // namespace pyhooks
