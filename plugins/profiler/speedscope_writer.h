// plugins/profiler/speedscope_writer.h - the profile in speedscope's own
// file format (https://www.speedscope.app/file-format-schema.json), which
// speedscope opens with names, files and lines kept apart: one shared frame
// per function (or thread root, or "[more call paths]"), and one "sampled"
// profile whose samples are the call paths with own time, root first, each
// weighted by that own time in nanoseconds (the profile's "unit"). Its
// "left heavy" and "sandwich" views then show the same times as the pstats
// file.
#pragma once

#include <string>

#include "frame_labels.h"
#include "profile_merge.h"
#include "support_names.h"

namespace profiler {

// `name` titles the profile in speedscope (e.g. the command profiled).
std::string speedscope_json(const MergedProfile& profile,
                            const FunctionRegistry& functions,
                            const FrameLabels& labels, const std::string& name);

}  // namespace profiler
