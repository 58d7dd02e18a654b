// plugins/profiler/flamegraph_svg.h - the profile as a self-contained SVG
// flamegraph (inline CSS and a little JavaScript, no external resources):
// one <rect> + <text> per call path, widths proportional to the path's
// total time, the root at the bottom as in flamegraph.pl (or at the top, as
// an icicle, when the graph is too deep to show the root without scrolling;
// a button flips the view), a <title> tooltip per frame with one line each
// for function, file:line and time/share/calls, a details line on hover,
// click-to-zoom and a regular-expression search with the matched share
// (flamegraph_script.h). Paths narrower than 0.1 pixel are left out (their
// time stays in their parent's width).
#pragma once

#include <string>

#include "frame_labels.h"
#include "profile_merge.h"
#include "support_names.h"

namespace profiler {

struct FlamegraphTitle {
  std::string title;     // first line at the top
  std::string subtitle;  // second line (clock, totals)
};

std::string flamegraph_svg(const MergedProfile& profile,
                           const FunctionRegistry& functions,
                           const FrameLabels& labels,
                           const FlamegraphTitle& heading);

}  // namespace profiler
