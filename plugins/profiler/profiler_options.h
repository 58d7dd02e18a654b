// plugins/profiler/profiler_options.h - the profiler's options: declared for
// the host in one table (names, types, defaults, help; docs/profiler.md,
// "Options", lists them) and read and validated in init with the typed
// readers of pyhooks/plugin.hpp, which take every default from that table.
//
// A wrong value makes init fail with one line naming the option and what to
// do (pyhooks::init_error).
#pragma once

#include <pyhooks/plugin.hpp>

#include <cstdint>
#include <string>

#include "support_names.h"

namespace profiler {

struct ProfilerOptions {
  ClockKind clock = ClockKind::kWall;
  TimerChoice timer = TimerChoice::kAuto;
  OutputSpec pstats{"output", ".prof", true, false, {}};
  OutputSpec collapsed{"collapsed", ".collapsed", false, false, {}};
  OutputSpec svg{"svg", ".svg", true, false, {}};
  OutputSpec speedscope{"speedscope", ".speedscope.json", true, false, {}};
  int64_t summary_rows = 0;
  uint32_t max_paths = 0;  // call paths kept per thread
  bool per_thread = false;
  bool builtins = false;        // C functions listed (3.12+)
  bool builtins_asked = false;  // `builtins` was configured
  CodeFilter filter;
  std::string start_dir;  // working directory at start-up
};

// clang-format off
inline constexpr pyhooks_option_desc kOptionDescs[] = {
    {"output", PYHOOKS_OPTION_STRING, "pyhooks-profile/run-N.prof",
     "pstats file (python -m pstats, snakeviz, gprof2dot); \"\" for none"},
    {"collapsed", PYHOOKS_OPTION_STRING, "",
     "collapsed stacks for flamegraph.pl (counts in microseconds), written "
     "only when given a path"},
    {"svg", PYHOOKS_OPTION_STRING, "pyhooks-profile/run-N.svg",
     "SVG flamegraph to open in a browser; \"\" for none"},
    {"speedscope", PYHOOKS_OPTION_STRING,
     "pyhooks-profile/run-N.speedscope.json",
     "speedscope's JSON format (times in nanoseconds); \"\" for none"},
    {"clock", PYHOOKS_OPTION_STRING, "wall",
     "\"wall\" (elapsed time) or \"cpu\" (the thread's CPU time)"},
    {"include", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "module or filename globs: measure only matching code"},
    {"exclude", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "module or filename globs: never measure matching code"},
    {"summary", PYHOOKS_OPTION_INT, "20",
     "rows per table printed on stderr at exit; 0 for no summary"},
    {"per_thread", PYHOOKS_OPTION_BOOL, "false",
     "also write one pstats file per thread, and a frame per thread in the "
     "stacks"},
    {"max_paths", PYHOOKS_OPTION_INT, "1048576",
     "call paths kept per thread; later new paths are kept flat"},
    {"timer", PYHOOKS_OPTION_STRING, "auto",
     "\"auto\" (the TSC when the kernel trusts it) or \"clock_gettime\""},
    {"builtins", PYHOOKS_OPTION_BOOL, "false",
     "list C functions ({built-in method len}) as cProfile does, their time "
     "not in the caller's own; CPython 3.12+ (docs/profiler.md: off by "
     "default)"},
};
// clang-format on
inline constexpr uint32_t kOptionCount =
    sizeof(kOptionDescs) / sizeof(kOptionDescs[0]);

// Reads and checks every option; throws pyhooks::init_error on a bad one.
ProfilerOptions read_options(const pyhooks::host& host);

}  // namespace profiler
