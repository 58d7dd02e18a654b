// plugins/support/clock.h - a clock cheap enough to read on every event
// (the profiler's, and the tracer's and the JIT's timestamps).
//
// Two kinds: wall (elapsed) time and the calling thread's CPU time. Wall
// time is read with the CPU's time-stamp counter when the kernel itself uses
// it for CLOCK_MONOTONIC (clocksource "tsc": synchronised and invariant), at
// about a third of the cost of clock_gettime on a VM; ticks are converted to
// nanoseconds with the ratio of ticks to CLOCK_MONOTONIC over the whole run,
// measured at shutdown. Otherwise clock_gettime(CLOCK_MONOTONIC) (vDSO).
// CPU time is clock_gettime(CLOCK_THREAD_CPUTIME_ID), a system call on
// Linux. A plugin offers a "timer" option to force clock_gettime (TimerChoice
// below; the host has no say in which clock a plugin reads).
#pragma once

#include <time.h>

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define PROFILER_HAVE_TSC 1
#else
#define PROFILER_HAVE_TSC 0
#endif

namespace pyhooks::support {

enum class ClockKind { kWall, kCpu };

// kAuto: the TSC when the kernel trusts it; kClockGettime: never the TSC.
enum class TimerChoice { kAuto, kClockGettime };

inline uint64_t read_clock(clockid_t id) {
  struct timespec now;
  clock_gettime(id, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000u +
         static_cast<uint64_t>(now.tv_nsec);
}

inline const char* clock_name(ClockKind kind) {
  return kind == ClockKind::kWall ? "wall" : "cpu";
}

class Clock {
 public:
  explicit Clock(ClockKind kind, TimerChoice timer = TimerChoice::kAuto);

  // The current time in ticks.
  uint64_t now() const {
#if PROFILER_HAVE_TSC
    if (tsc_) return __rdtsc();
#endif
    return read_clock(id_);
  }

  // The TSC's ticks into `ticks` and true when this clock is the TSC;
  // false (nothing read) otherwise. For hot paths that want no call.
  bool read_tsc(uint64_t* ticks) const {
#if PROFILER_HAVE_TSC
    if (tsc_) {
      *ticks = __rdtsc();
      return true;
    }
#endif
    (void)ticks;
    return false;
  }

  ClockKind kind() const { return kind_; }
  bool uses_tsc() const { return tsc_; }
  const char* timer_name() const;
  // Nanoseconds per tick: 1 without the TSC; with it, measured from the
  // start of the run to this call.
  double ns_per_tick() const;

 private:
  ClockKind kind_;
  clockid_t id_;
  bool tsc_ = false;
  uint64_t tsc_start_ = 0;
  uint64_t mono_start_ = 0;
};

}  // namespace pyhooks::support
