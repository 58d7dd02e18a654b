// plugins/profiler/calibration.cc - timing the recording code at start-up
// (see calibration.h).
#include "calibration.h"

#include "thread_profile.h"

namespace profiler {

uint64_t measure_event_cost(const Clock& clock) {
  const int pairs = clock.kind() == ClockKind::kWall ? 4000 : 400;
  const int rounds = 7;
  static const char codes[5] = {};
  uint64_t best = UINT64_MAX;
  for (int round = 0; round < rounds; ++round) {
    ThreadProfile probe(0, 0, 0, 64);
    probe.enter(clock.now(), 0, &codes[0], true);
    for (int i = 0; i < 8; ++i) {  // create the call paths first
      probe.enter(clock.now(), 1 + (i & 3), &codes[1 + (i & 3)], true);
      probe.exit(clock.now(), &codes[1 + (i & 3)]);
    }
    uint64_t begin = clock.now();
    for (int i = 0; i < pairs; ++i) {
      const void* code = &codes[1 + (i & 3)];
      probe.enter(clock.now(), 1 + (i & 3), code, true);
      probe.exit(clock.now(), code);
    }
    uint64_t elapsed = clock.now() - begin;
    uint64_t per_event = elapsed / (2u * pairs);
    if (per_event < best) best = per_event;
  }
  return best == UINT64_MAX ? 0 : best;
}

}  // namespace profiler
