// plugins/support/clock.cc - choosing the timer and converting TSC ticks to
// nanoseconds (see clock.h).
#include "support/clock.h"

#include <cstdio>
#include <cstring>

namespace pyhooks::support {

namespace {

// True if the kernel keeps CLOCK_MONOTONIC with the TSC.
bool kernel_uses_tsc() {
  FILE* file = std::fopen(
      "/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
  if (file == nullptr) return false;
  char name[64] = {0};
  bool tsc = std::fgets(name, sizeof(name), file) != nullptr &&
             std::strncmp(name, "tsc", 3) == 0 &&
             (name[3] == '\n' || name[3] == '\0');
  std::fclose(file);
  return tsc;
}

}  // namespace

Clock::Clock(ClockKind kind, TimerChoice timer)
    : kind_(kind),
      id_(kind == ClockKind::kWall ? CLOCK_MONOTONIC
                                   : CLOCK_THREAD_CPUTIME_ID) {
#if PROFILER_HAVE_TSC
  if (kind == ClockKind::kWall && timer == TimerChoice::kAuto &&
      kernel_uses_tsc()) {
    tsc_ = true;
    mono_start_ = read_clock(CLOCK_MONOTONIC);
    tsc_start_ = __rdtsc();
  }
#endif
}

const char* Clock::timer_name() const {
  if (tsc_) return "TSC";
  return kind_ == ClockKind::kWall ? "CLOCK_MONOTONIC"
                                   : "CLOCK_THREAD_CPUTIME_ID";
}

double Clock::ns_per_tick() const {
#if PROFILER_HAVE_TSC
  if (tsc_) {
    uint64_t mono = read_clock(CLOCK_MONOTONIC);
    uint64_t ticks = __rdtsc();
    if (ticks > tsc_start_ && mono > mono_start_) {
      return static_cast<double>(mono - mono_start_) /
             static_cast<double>(ticks - tsc_start_);
    }
  }
#endif
  return 1.0;
}

}  // namespace pyhooks::support
