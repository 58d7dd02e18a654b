// plugins/tracer/trace_record.h - one complete slice as the tracer stores it
// (32 bytes): what a thread buffer holds, what the ring keeps, what the
// encoders turn into Perfetto packets or Chrome JSON.
//
// A slice is one run of one activation on one thread: a call from START to
// RETURN/UNWIND, or, for a generator or coroutine, each run between START or
// RESUME and the next YIELD/RETURN/UNWIND. The runs of one generator
// activation share a non-zero `flow` id, drawn as arrows between them.
#pragma once

#include <cstdint>
#include <string>

namespace tracer {

enum RecordFlags : uint32_t {
  kLeftByException = 1u << 0,  // ended by UNWIND
  kSuspended = 1u << 1,        // ended by YIELD (the activation goes on)
  kResumed = 1u << 2,          // began with RESUME of a known activation
  kUnfinished = 1u << 3,       // still running at exit: closed by the tracer
  kDroppedMarker = 1u << 4,    // not a slice: the ring's "events dropped" mark
};

// Bits 8-31 of a record's flags: the NameTable id + 1 of the type of the
// exception that ended it (UNWIND), 0 when unknown.
constexpr uint32_t kExceptionShift = 8;
constexpr uint32_t kFlagBits = (1u << kExceptionShift) - 1;
inline uint32_t exception_flags(uint32_t name_id) {
  return (name_id + 1) << kExceptionShift;
}
// The exception type's name id, or -1 for none.
inline int64_t exception_name(uint32_t flags) {
  return static_cast<int64_t>(flags >> kExceptionShift) - 1;
}

struct Record {
  uint64_t begin_ns;
  uint64_t end_ns;
  uint32_t name;    // NameTable id
  uint32_t thread;  // ThreadInfo ordinal (0 = the process track)
  uint32_t flow;    // 0 = none; shared by the runs of one activation
  uint32_t flags;   // RecordFlags
};
static_assert(sizeof(Record) == 32, "a record is 32 bytes");

// What the trace says about one thread (written once per thread).
struct ThreadInfo {
  uint32_t ordinal;   // 1, 2, ... in order of first event
  uint64_t ident;     // threading.get_ident()
  int64_t native_id;  // the kernel's thread id
  bool main = false;  // the thread that started tracing
  std::string name;   // threading's name for it; "" while unknown
  // An asyncio task's track (async_tracks = true), not a thread: `ident` is
  // the task's number, `native_id` the thread of its event loop, `name` the
  // task's name (task_tracks.cc).
  bool task = false;
};

}  // namespace tracer
