// plugins/tracer/term_signal.h - SIGTERM (and SIGINT where Python left it at
// its default) end the process without any exit handler; the tracer flushes
// the trace first, then lets the signal's default action happen.
//
// The handler only does what is async-signal-safe: it sets the writer's
// request flag, posts its semaphore, waits (nanosleep, at most 5 s) for the
// writer's done flag, restores the default action and re-raises the signal,
// which is delivered when the handler returns. A signal whose handler is not
// SIG_DFL at install time (Python's SIGINT handler, a program's own) is left
// alone. Process-wide by nature: one tracer per process installs it (the
// tracer runs in the main interpreter only). No descriptor is involved.
#pragma once

#include <semaphore.h>

#include <atomic>

namespace tracer {

// Installs the handlers (or, when already installed, points them at this
// writer): the handler sets *request, posts *wake, waits for *done.
void install_term_handlers(sem_t* wake, std::atomic<int>* request,
                           std::atomic<int>* done);
// Restores what was there before (at shutdown, and in a forked child
// before installing again for a new writer).
void remove_term_handlers();

}  // namespace tracer
