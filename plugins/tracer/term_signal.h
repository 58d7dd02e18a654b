// plugins/tracer/term_signal.h - SIGTERM (and SIGINT where Python left it at
// its default) end the process without any exit handler; the tracer flushes
// the trace first, then lets the signal's default action happen.
//
// The handler only does what is async-signal-safe: it writes one byte to the
// writer thread's request pipe, waits (poll, at most 5 s) for the writer to
// answer on the done pipe, restores the default action and re-raises the
// signal, which is delivered when the handler returns. A signal whose
// handler is not SIG_DFL at install time (Python's SIGINT handler, a
// program's own) is left alone. Process-wide by nature: one tracer per
// process installs it (the tracer runs in the main interpreter only).
#pragma once

namespace tracer {

// Installs the handlers; request_fd/done_fd are the pipe ends the handler
// writes to and waits on.
void install_term_handlers(int request_fd, int done_fd);
// Restores what was there before (at shutdown, and in a forked child
// before installing again with new pipes).
void remove_term_handlers();

}  // namespace tracer
