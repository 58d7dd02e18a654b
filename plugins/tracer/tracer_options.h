// plugins/tracer/tracer_options.h - the tracer's options: declared for the
// host (names, types, defaults, help), read and validated in init.
//
//   output           trace file; the extension picks the format
//                    (.perfetto-trace/.pftrace, .json, .json.gz); default
//                    pyhooks-trace.perfetto-trace (next free .N, never
//                    replacing a file)
//   format           "perfetto" or "json", for names without those extensions
//   mode             "stream" (default: flushed while running, memory flat)
//                    or "ring" (keep the last buffer_size slices)
//   buffer_size      slices the ring keeps (default 1000000)
//   include/exclude  module or filename globs (support/code_filter.h)
//   max_depth        record only this many nested Python frames (0: all)
//   min_duration_us  drop slices shorter than this
//   ignore_frozen    drop "<frozen ...>" code (importlib's bootstrap)
//   ignore_stdlib    drop the standard library (and frozen code)
//   summary          one line on stderr at exit (default true)
//   async_tracks     a track per asyncio task (task_tracks.cc)
//   merge            the program's trace takes in its children's at exit
//                    (trace_merge.h)
//
// A wrong value makes init log one line naming the option and what to do.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <string>

#include "encoder.h"
#include "support/code_filter.h"

namespace tracer {

enum class Mode { kStream, kRing };

struct TracerOptions {
  std::string output;  // absolute; "" = the default name
  bool output_given = false;
  Format format = Format::kPerfetto;
  bool gzip = false;
  Mode mode = Mode::kStream;
  uint64_t buffer_size = 1000000;
  pyhooks::support::CodeFilter filter;
  uint32_t max_depth = 0;
  uint64_t min_duration_ns = 0;
  bool ignore_frozen = false;
  bool ignore_stdlib = false;
  bool summary = true;
  bool async_tracks = false;
  bool merge = false;
  std::string start_dir;  // working directory at start-up
};

extern const pyhooks_option_desc kOptionDescs[];
extern const uint32_t kOptionCount;

// Reads every option. On a bad value logs one error line and returns
// PYHOOKS_ERROR.
pyhooks_status read_options(pyhooks_plugin* self, TracerOptions* out);

// The default output's extension for a format.
const char* default_extension(const TracerOptions& options);

}  // namespace tracer
