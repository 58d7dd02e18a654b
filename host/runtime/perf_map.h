// host/runtime/perf_map.h - the process's one perf-map writer (host function
// perf_map_write, ABI 1.1).
//
// Native profilers (perf, samply, ...) name code in anonymous executable
// memory by reading /tmp/perf-PID.map: one `address size name` line per
// range, hexadecimal address and size. A process has one such file, so it
// has one writer: on 3.12+ CPython's own (PyUnstable_WritePerfMapEntry, which
// `-X perf` uses too), on 3.11 the host's, which writes the same format.
//
// This is the one piece of host state that is per process rather than per
// interpreter, because the file is: every interpreter's plugins write to it,
// behind one lock. The host remembers every line it wrote, so that a forked
// child can get its own map (perf-<childpid>.map) holding what it inherited:
// the trampolines and compiled code it shares with its parent.
#pragma once

#include <cstdint>

namespace pyhooks {
namespace perf_map {

// Outcome of one write.
enum class WriteResult { kOk, kInvalid, kFailed };

// Appends `address size name` to this process's map (opening it on first
// use). kInvalid for a NULL address or name, a zero size or a name with a
// newline; kFailed when the file cannot be written (reported once).
WriteResult write_entry(const void* address, uint32_t size, const char* name);

// In a forked child: starts the child's own map with every line the parent
// had written. Harmless when called again or in a process that never wrote.
void after_fork_child();

}  // namespace perf_map
}  // namespace pyhooks
