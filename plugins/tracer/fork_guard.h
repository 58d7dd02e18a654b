// plugins/tracer/fork_guard.h - the writer thread is stopped around every
// fork() of the process, so that the process forks with only the threads
// the program itself has: CPython 3.12+ warns "This process is
// multi-threaded, use of fork() may lead to deadlocks in the child" when it
// counts more than one, and the program must behave as under plain python.
//
// pthread_atfork handlers, registered once per process (glibc drops them
// when the library is unloaded): prepare stops the writer (it first writes
// every queued chunk) and waits until the kernel no longer counts its
// thread; parent tells the tracer that a fork happened. The tracer starts
// the writer again only after CPython has counted the threads: 3.13 counts
// after running the os.register_at_fork(after_in_parent=...) hooks, which
// are Python code, so it waits for a few hundred events of the forking
// thread or any event of another thread (tracer.h). The child is handled by
// the host's after_fork_child. Process-wide by nature: one tracer per
// process (it runs in the main interpreter only).
#pragma once

namespace tracer {

class Tracer;

// Makes `tracer` the one whose writer is stopped at fork; nullptr: none.
// The first call registers the handlers; false if that failed.
bool set_fork_guard(Tracer* tracer);
// Clears the guard if it is `tracer` (its destructor).
void clear_fork_guard(Tracer* tracer);

}  // namespace tracer
