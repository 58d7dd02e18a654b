// cli/stack_limit.h - room for deep recursion in the program's main thread.
//
// Under the eval-frame hook every Python call is a C call too (about half a
// kilobyte of stack), so a program that raises sys.setrecursionlimit would
// hit the end of the usual 8 MiB main-thread stack long before plain python
// would stop it. pyhooks run execs the interpreter, so it raises the soft
// RLIMIT_STACK first (to 1 GiB, or the hard limit): the kernel then leaves
// that much room below the new process's stack. The preloaded boot library
// (boot/main_stack.c) grows the main thread's stack into that room and puts
// the inherited limit back before Python starts, so the program, its threads
// and its children see exactly the limits they would under python.
#pragma once

namespace pyhooks {

// Raises the soft limit and records the inherited one in
// PYHOOKS_STACK_RLIMIT (boot/boot.h); does nothing if the limit is already
// large enough or unlimited. False only when the environment cannot be set.
bool enlarge_main_stack();

}  // namespace pyhooks
