// plugins/tracer/fork_guard.cc - the pthread_atfork handlers that stop the
// writer thread around fork() (see fork_guard.h).
#include "fork_guard.h"

#include <pthread.h>

#include <atomic>
#include <mutex>

#include "tracer.h"

namespace tracer {

namespace {

std::atomic<Tracer*> g_guarded{nullptr};
std::once_flag g_registered_once;
bool g_registered = false;

void before_fork() {
  if (Tracer* guarded = g_guarded.load()) guarded->before_fork();
}

void after_fork_in_parent() {
  if (Tracer* guarded = g_guarded.load()) guarded->after_fork_parent();
}

}  // namespace

bool set_fork_guard(Tracer* tracer) {
  std::call_once(g_registered_once, [] {
    g_registered =
        ::pthread_atfork(before_fork, after_fork_in_parent, nullptr) == 0;
  });
  g_guarded.store(tracer);
  return g_registered;
}

void clear_fork_guard(Tracer* tracer) {
  Tracer* expected = tracer;
  g_guarded.compare_exchange_strong(expected, nullptr);
}

}  // namespace tracer
