// plugins/tracer/encoder.h - the interface between the tracer's records and
// a trace file format, and the facts every format writes.
//
// An encoder appends bytes to a string; the writer thread owns the encoder
// and the file. Calls come in this order: begin_trace, then any mix of
// thread (once per thread, before its first record), record and dropped,
// then end_trace. Every call appends whole units (protobuf packets, JSON
// events), so a file cut after any append is as valid as the format allows.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "capture.h"
#include "name_table.h"
#include "trace_record.h"

namespace tracer {

struct ProcessInfo {
  int64_t pid = 0;
  std::string name;  // "python3.12 app.py" (argv joined)
  uint64_t start_ns = 0;
};

// The ring's losses: `count` slices ended between from_ns and until_ns and
// were overwritten.
struct DropReport {
  uint64_t count = 0;
  uint64_t from_ns = 0;
  uint64_t until_ns = 0;
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual void begin_trace(const ProcessInfo& process, std::string* out) = 0;
  virtual void thread(const ThreadInfo& thread, std::string* out) = 0;
  virtual void record(const Record& record, std::string* out) = 0;
  // A record with kCaptured and what was captured for it.
  virtual void captured_record(const Record& record, const Capture& capture,
                               std::string* out) = 0;
  virtual void dropped(const DropReport& drop, std::string* out) = 0;
  virtual void end_trace(const DropReport& drop, uint64_t slices,
                         std::string* out) = 0;
  // Events per slice in this format (for the summary's event count).
  virtual uint32_t events_per_slice() const = 0;
};

enum class Format { kPerfetto, kJson };

std::unique_ptr<Encoder> make_encoder(Format format, const NameTable* names);

// The name a thread is shown with: threading's name ("MainThread",
// "worker-1"), else "main thread" or "thread N (ident I)".
std::string thread_label(const ThreadInfo& thread);

}  // namespace tracer
