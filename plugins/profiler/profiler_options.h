// plugins/profiler/profiler_options.h - the profiler's options: declared for
// the host (names, types, defaults, help) and read and validated in init.
//
//   output      pstats file ("" for none)         default pyhooks-profile.prof
//   collapsed   collapsed stacks ("" for none)    default
//   pyhooks-profile.collapsed svg         SVG flamegraph ("" for none) default
//   pyhooks-profile.svg clock       "wall" or "cpu"                   default
//   wall include     globs: measure only matching code exclude     globs: never
//   measure matching code summary     rows per table on stderr at exit, 0 for
//   no summary (default 20) per_thread  also one pstats file per thread, and a
//   root frame per thread
//               in the stacks and the flamegraph (default false)
//
// A wrong value makes init log one line naming the option and what to do.
#pragma once

#include <pyhooks/plugin.h>

#include <string>

#include "clock.h"
#include "code_filter.h"
#include "output_files.h"

namespace profiler {

struct ProfilerOptions {
  ClockKind clock = ClockKind::kWall;
  OutputSpec pstats{"output", ".prof", true, false, {}};
  OutputSpec collapsed{"collapsed", ".collapsed", true, false, {}};
  OutputSpec svg{"svg", ".svg", true, false, {}};
  int64_t summary_rows = 20;
  bool per_thread = false;
  CodeFilter filter;
  std::string start_dir;  // working directory at start-up
};

extern const pyhooks_option_desc kOptionDescs[];
extern const uint32_t kOptionCount;

// Reads every option. On a bad value logs one error line and returns
// PYHOOKS_ERROR.
pyhooks_status read_options(pyhooks_plugin* self, ProfilerOptions* out);

}  // namespace profiler
