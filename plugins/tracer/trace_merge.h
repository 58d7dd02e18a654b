// plugins/tracer/trace_merge.h - merge = true: at the program's exit, the
// traces its child processes wrote are merged into its own, one process
// track each.
//
// Who merges: the tracer in the program's own process (not `pyhooks run`,
// which has exec'd the interpreter and is gone), in Writer::finish after
// its last record and before the trace's end. Its children find where to
// write in $PYHOOKS_TRACER_MERGE_INTO (set in the C environment at start,
// so os.environ stays as under python; forked children have it in memory,
// new interpreters inherit it unless started with an env of their own):
// each writes <program trace stem>.pid<PID><ext> beside it. At exit the
// program takes every such file modified since it started, in pid order:
//   Perfetto: each packet copied with its trusted_packet_sequence_id moved
//     past every sequence already in the file (interning and track
//     defaults are per sequence, so each child keeps its own scopes; track
//     uuids and flow ids carry the pid already);
//   JSON: each event line appended (pids differ already).
// A child's trace that did not end (killed, crashed, or still running at
// the merge: Perfetto's last packet is not the closing process descriptor,
// JSON has no closing bracket) is taken up to its last whole record and
// marked with an instant on its process track saying so. Merged files are
// removed, except those of children still running; a file that cannot be
// read is kept and named in the summary line.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace tracer {

inline constexpr const char* kMergeIntoVariable = "PYHOOKS_TRACER_MERGE_INTO";

// CLOCK_REALTIME in nanoseconds (file times are compared with it).
int64_t realtime_ns();

struct ChildTrace {
  std::string path;
  long pid = 0;
};

// The children's traces beside `program_trace` modified since
// `since_realtime_ns`, in pid order.
std::vector<ChildTrace> find_child_traces(const std::string& program_trace,
                                          int64_t since_realtime_ns);

// True while process `pid` runs (exists and is no zombie).
bool process_running(long pid);

struct MergedChild {
  bool read = false;      // false: nothing was written, see `error`
  bool complete = false;  // the child's trace ended normally
  uint64_t units = 0;     // packets or JSON events taken
  std::string error;
};

using WriteBytes = std::function<void(const std::string&)>;

// Appends the child's Perfetto packets through `write`, its sequence ids
// moved to start at *next_sequence (advanced past them). `now_ns` places
// the "incomplete" mark of a child that wrote nothing.
MergedChild merge_perfetto_child(const ChildTrace& child, bool still_running,
                                 uint64_t now_ns, uint32_t* next_sequence,
                                 const WriteBytes& write);

// Appends the child's JSON events (",\n{...}" each) through `write`.
MergedChild merge_json_child(const ChildTrace& child, bool still_running,
                             uint64_t now_ns, const WriteBytes& write);

}  // namespace tracer
