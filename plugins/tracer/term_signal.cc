// plugins/tracer/term_signal.cc - flush-then-die handlers for SIGTERM and
// a default SIGINT (see term_signal.h).
#include "term_signal.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>

namespace tracer {

namespace {

constexpr int kSignals[] = {SIGTERM, SIGINT};
constexpr int kSignalCount = 2;

// Signal handlers reach their state only through globals; this is the
// process's (not an interpreter's) state.
std::atomic<int> g_request_fd{-1};
std::atomic<int> g_done_fd{-1};
bool g_installed[kSignalCount] = {false, false};

void flush_then_die(int signal_number) {
  int saved_errno = errno;
  int request = g_request_fd.load();
  int done = g_done_fd.load();
  if (request >= 0 && done >= 0) {
    char byte = 1;
    if (::write(request, &byte, 1) == 1) {
      struct pollfd wait_for {
        done, POLLIN, 0
      };
      ::poll(&wait_for, 1, 5000);
    }
  }
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  ::sigaction(signal_number, &fallback, nullptr);
  ::raise(signal_number);  // pending until this handler returns
  errno = saved_errno;
}

}  // namespace

void install_term_handlers(int request_fd, int done_fd) {
  g_request_fd.store(request_fd);
  g_done_fd.store(done_fd);
  for (int i = 0; i < kSignalCount; ++i) {
    struct sigaction current {};
    if (::sigaction(kSignals[i], nullptr, &current) != 0) continue;
    if ((current.sa_flags & SA_SIGINFO) || current.sa_handler != SIG_DFL) {
      continue;  // someone else's: theirs to handle
    }
    struct sigaction mine {};
    mine.sa_handler = flush_then_die;
    sigemptyset(&mine.sa_mask);
    mine.sa_flags = SA_RESTART;
    g_installed[i] = ::sigaction(kSignals[i], &mine, nullptr) == 0;
  }
}

void remove_term_handlers() {
  for (int i = 0; i < kSignalCount; ++i) {
    if (!g_installed[i]) continue;
    struct sigaction current {};
    ::sigaction(kSignals[i], nullptr, &current);
    if (!(current.sa_flags & SA_SIGINFO) &&
        current.sa_handler == flush_then_die) {
      struct sigaction fallback {};
      fallback.sa_handler = SIG_DFL;
      sigemptyset(&fallback.sa_mask);
      ::sigaction(kSignals[i], &fallback, nullptr);
    }
    g_installed[i] = false;
  }
  g_request_fd.store(-1);
  g_done_fd.store(-1);
}

}  // namespace tracer
