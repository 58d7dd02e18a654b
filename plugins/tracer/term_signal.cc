// plugins/tracer/term_signal.cc - flush-then-die handlers for SIGTERM and
// a default SIGINT (see term_signal.h).
#include "term_signal.h"

#include <errno.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

namespace tracer {

namespace {

constexpr int kSignals[] = {SIGTERM, SIGINT};
constexpr int kSignalCount = 2;

// Signal handlers reach their state only through globals; this is the
// process's (not an interpreter's) state.
std::atomic<sem_t*> g_wake{nullptr};
std::atomic<std::atomic<int>*> g_request{nullptr};
std::atomic<std::atomic<int>*> g_done{nullptr};
bool g_installed[kSignalCount] = {false, false};

void flush_then_die(int signal_number) {
  int saved_errno = errno;
  sem_t* wake = g_wake.load();
  std::atomic<int>* request = g_request.load();
  std::atomic<int>* done = g_done.load();
  if (wake != nullptr && request != nullptr && done != nullptr) {
    request->store(1);
    sem_post(wake);
    struct timespec pause {
      0, 1000000
    };  // 1 ms, at most 5000 times
    for (int i = 0; i < 5000 && done->load() == 0; ++i) {
      ::nanosleep(&pause, nullptr);
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

void install_term_handlers(sem_t* wake, std::atomic<int>* request,
                           std::atomic<int>* done) {
  g_wake.store(wake);
  g_request.store(request);
  g_done.store(done);
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
  g_wake.store(nullptr);
  g_request.store(nullptr);
  g_done.store(nullptr);
}

}  // namespace tracer
