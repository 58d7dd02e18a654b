// bench/tracer/clock_cost.cc - what one reading of the tracer's per-event
// clock costs: clock_gettime(CLOCK_MONOTONIC) (what api->clock_ns does)
// against EventClock::now_ns (the TSC mapped to CLOCK_MONOTONIC), in one
// process, alternating in blocks, medians of CPU ns per reading (thread CPU
// time, so that time the VM gives other processes is not counted).
//
//   g++ -O2 -std=c++20 -Iplugins/tracer -Iplugins -Iplugin-api/include \
//     bench/tracer/clock_cost.cc plugins/tracer/event_clock.cc \
//     plugins/support/clock.cc -o /tmp/clock_cost && /tmp/clock_cost
#include <algorithm>
#include <cstdio>
#include <vector>

#include "event_clock.h"

namespace {

constexpr int kReads = 1000000;
constexpr int kBlocks = 15;

template <typename Read>
double ns_per_read(Read read) {
  uint64_t sink = 0;
  uint64_t start = pyhooks::support::read_clock(CLOCK_THREAD_CPUTIME_ID);
  for (int i = 0; i < kReads; ++i) sink += read();
  uint64_t end = pyhooks::support::read_clock(CLOCK_THREAD_CPUTIME_ID);
  if (sink == 42) std::puts("");  // keeps the reads
  return static_cast<double>(end - start) / kReads;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main() {
  tracer::EventClock clock;
  std::vector<double> gettime, event;
  for (int block = 0; block < kBlocks; ++block) {
    gettime.push_back(ns_per_read(
        [] { return pyhooks::support::read_clock(CLOCK_MONOTONIC); }));
    event.push_back(ns_per_read([&] { return clock.now_ns(); }));
  }
  std::printf("clock_gettime(CLOCK_MONOTONIC): %.1f ns per reading\n",
              median(gettime));
  std::printf("EventClock::now_ns (%s): %.1f ns per reading\n",
              clock.uses_tsc() ? "TSC" : "clock_gettime", median(event));
  std::printf("ratio: %.2f\n", median(event) / median(gettime));
  return 0;
}
