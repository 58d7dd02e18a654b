// plugins/tracer/event_clock.cc - calibrating the tracer's TSC clock and
// starting its pieces (see event_clock.h).
#include "event_clock.h"

#include <time.h>

#include <algorithm>

namespace tracer {

EventClock::EventClock() {
#if PROFILER_HAVE_TSC
  pyhooks::support::Clock probe(pyhooks::support::ClockKind::kWall);
  if (!probe.uses_tsc()) return;
  first_ = read_pair();
  struct timespec pause = {0, 1000000};  // 1 ms
  nanosleep(&pause, nullptr);
  Pair now = read_pair();
  if (now.ticks <= first_.ticks || now.ns <= first_.ns) return;
  double slope = static_cast<double>(now.ns - first_.ns) /
                 static_cast<double>(now.ticks - first_.ticks);
  tsc_ = true;
  base_ticks_ = now.ticks;
  base_ns_ = now.ns;
  mult_ =
      static_cast<uint64_t>(slope * static_cast<double>(uint64_t{1} << kShift));
  rebase_ticks_ = static_cast<uint64_t>(static_cast<double>(kRebaseNs) / slope);
#endif
}

EventClock::Pair EventClock::read_pair() {
#if PROFILER_HAVE_TSC
  uint64_t before = __rdtsc();
  uint64_t ns = pyhooks::support::read_clock(CLOCK_MONOTONIC);
  uint64_t after = __rdtsc();
  return Pair{before + (after - before) / 2, ns};
#else
  return Pair{0, pyhooks::support::read_clock(CLOCK_MONOTONIC)};
#endif
}

double EventClock::ns_per_tick() const {
  return tsc_ ? static_cast<double>(mult_) /
                    static_cast<double>(uint64_t{1} << kShift)
              : 1.0;
}

uint64_t EventClock::rebase() {
  Pair now = read_pair();
  if (now.ticks <= base_ticks_) return base_ns_;  // a TSC a hair behind
  // Where the current piece puts this moment: the new piece starts there.
  uint64_t delta = now.ticks - base_ticks_;
  uint64_t at =
      base_ns_ + static_cast<uint64_t>(
                     (static_cast<unsigned __int128>(delta) * mult_) >> kShift);
  double average = static_cast<double>(now.ns - first_.ns) /
                   static_cast<double>(now.ticks - first_.ticks);
  double span = static_cast<double>(rebase_ticks_);
  double error = static_cast<double>(now.ns) - static_cast<double>(at);
  double slope =
      std::clamp(average + error / span, average * 0.99, average * 1.01);
  base_ticks_ = now.ticks;
  base_ns_ = at;
  mult_ =
      static_cast<uint64_t>(slope * static_cast<double>(uint64_t{1} << kShift));
  rebase_ticks_ =
      static_cast<uint64_t>(static_cast<double>(kRebaseNs) / average);
  return at;
}

}  // namespace tracer
