// plugins/tracer/event_clock.h - the tracer's per-event clock: CLOCK_MONOTONIC
// nanoseconds (the trace's time base, so that slices of different threads
// and processes line up), read through the CPU's time-stamp counter where
// the kernel keeps CLOCK_MONOTONIC with it (support/clock.h says when).
//
// An event costs one rdtsc, a subtraction and a 64x64-bit multiply (about a
// third of clock_gettime on a VM). Ticks become nanoseconds through a
// continuous, increasing, piecewise linear map: every kRebaseNs of ticks
// (on the next event after) it reads CLOCK_MONOTONIC once, starts a new
// piece where the old one ends (no jump), and gives it the slope that
// meets CLOCK_MONOTONIC again one piece later (the run's average ticks per
// nanosecond plus the error seen, bounded to +-1%). So the map follows
// CLOCK_MONOTONIC within a few microseconds (the first piece's slope comes
// from a 1 ms calibration at start), a value is converted once (when it is
// read), and the order of any two readings is kept. Without a trusted TSC
// it is clock_gettime(CLOCK_MONOTONIC). Called with the GIL held only (it
// keeps state); not for a signal handler.
#pragma once

#include <cstdint>

#include "support/clock.h"

namespace tracer {

class EventClock {
 public:
  EventClock();

  uint64_t now_ns() {
#if PROFILER_HAVE_TSC
    if (tsc_) {
      uint64_t delta = __rdtsc() - base_ticks_;
      if (delta >= rebase_ticks_) return rebase();
      return base_ns_ +
             static_cast<uint64_t>(
                 (static_cast<unsigned __int128>(delta) * mult_) >> kShift);
    }
#endif
    return pyhooks::support::read_clock(CLOCK_MONOTONIC);
  }

  bool uses_tsc() const { return tsc_; }
  // Nanoseconds per tick of the current piece (1 without the TSC).
  double ns_per_tick() const;

  static constexpr uint64_t kRebaseNs = 20000000;  // 20 ms

 private:
  static constexpr int kShift = 32;
  // A CLOCK_MONOTONIC reading and the ticks at that moment (the middle of
  // two rdtsc around it).
  struct Pair {
    uint64_t ticks;
    uint64_t ns;
  };
  static Pair read_pair();
  uint64_t rebase();

  bool tsc_ = false;
  uint64_t base_ticks_ = 0;  // the current piece starts here ...
  uint64_t base_ns_ = 0;     // ... at this time
  uint64_t mult_ = 0;        // its slope: ns per tick << kShift
  uint64_t rebase_ticks_ = ~uint64_t{0};
  Pair first_{};  // the calibration's start: the run's average slope
};

}  // namespace tracer
