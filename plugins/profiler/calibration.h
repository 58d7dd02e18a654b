// plugins/profiler/calibration.h - measuring, at start-up, what one event
// costs inside the profiler, so that it can be subtracted from the times it
// reports.
//
// What is measured: back-to-back enter/exit pairs through the real recording
// code (ThreadProfile::enter/exit, one clock read per event) on a scratch
// thread profile, with the clock the run uses; the per-event cost is the
// fastest of several rounds divided by the events in it. That is the time one
// event adds between two consecutive clock reads of the profiler. What is not
// in it: the host's dispatch of the event and the host call that finds a code
// object's data, which a plugin cannot time without running Python
// (docs/profiler.md, "Overhead subtraction", gives their size).
#pragma once

#include <cstdint>

#include "support_names.h"

namespace profiler {

// In the clock's ticks.
uint64_t measure_event_cost(const Clock& clock);

}  // namespace profiler
