// plugins/profiler/collapsed_writer.h - the profile as collapsed stacks, the
// input of flamegraph.pl, speedscope and inferno: one line per call path,
// "outer;...;inner COUNT", where COUNT is the path's own time in
// microseconds. Counts are rounded so that they add up exactly to the total
// own time (rounded to a microsecond): no path's time is lost to rounding.
//
// A call path whose total time is under 1/2400 of the profile's (narrower
// than half a pixel in a 1200-pixel flamegraph.pl drawing, too thin to see
// or hover) is not written out: its time, with its callees', goes on one
// "PARENT;[small paths]" line. That keeps the file a few times the pstats
// file's size rather than growing with every import's deep call chain; the
// speedscope file keeps every path.
#pragma once

#include <cstdint>
#include <string>

#include "frame_labels.h"
#include "profile_merge.h"

namespace profiler {

inline constexpr uint64_t kFoldDivisor = 2400;
inline constexpr const char* kFoldedLabel = "[small paths]";

std::string collapsed_text(const MergedProfile& profile,
                           const FrameLabels& labels);

}  // namespace profiler
