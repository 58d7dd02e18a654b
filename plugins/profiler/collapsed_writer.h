// plugins/profiler/collapsed_writer.h - the profile as collapsed stacks, the
// input of flamegraph.pl, speedscope and inferno: one line per call path,
// "outer;...;inner COUNT", where COUNT is the path's own time in
// microseconds. Counts are rounded so that they add up exactly to the total
// own time (rounded to a microsecond): no path's time is lost to rounding.
#pragma once

#include <string>

#include "frame_labels.h"
#include "profile_merge.h"

namespace profiler {

std::string collapsed_text(const MergedProfile& profile,
                           const FrameLabels& labels);

}  // namespace profiler
