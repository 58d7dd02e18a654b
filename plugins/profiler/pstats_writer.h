// plugins/profiler/pstats_writer.h - the profile as a pstats file, the
// marshalled dict that `pstats.Stats(FILE)`, `python -m pstats FILE`,
// snakeviz and gprof2dot read:
//
//   {(filename, first_line, co_name):
//       (primitive_calls, total_calls, own_s, cumulative_s,
//        {(caller filename, line, co_name):
//            (total_calls, primitive_calls, own_s, cumulative_s)})}
//
// exactly as cProfile writes it (note the caller tuples list total calls
// first - cProfile.Profile.snapshot_stats does so and pstats reads them so).
// Functions whose (filename, line, co_name) coincide are summed, as pstats
// itself would when adding profiles.
#pragma once

#include <string>

#include "profile_merge.h"
#include "support_names.h"

namespace profiler {

std::string pstats_bytes(const MergedProfile& profile,
                         const FunctionRegistry& functions);

}  // namespace profiler
