// plugins/tracer/json_encoder.cc - records as Chrome Trace Event JSON (the
// object form: {"traceEvents": [...], "displayTimeUnit": "ns",
// "otherData": {...}}), for chrome://tracing, Perfetto UI and other viewers.
//
// A slice is a complete event ("ph":"X", ts and dur in microseconds with
// nanosecond decimals); thread and process names are "M" metadata events;
// generator runs are bound by flow events ("s" on the first run, "t" on the
// middle ones, "f" with "bp":"e" on the last); ring losses are a
// process-scoped instant event plus otherData.dropped_events. An asyncio
// task's track (async_tracks) is a lane of its own: a tid no thread has
// (kTaskTidBase + its ordinal), named by a thread_name event.
#include <cstdio>
#include <vector>

#include "encoder.h"

namespace tracer {

namespace {

void escape_into(std::string* out, const std::string& text) {
  out->push_back('"');
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof(buffer), "\\u%04x", c);
      out->append(buffer);
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

// Nanoseconds as microseconds with three decimals ("1234.567").
void micros_into(std::string* out, uint64_t ns) {
  char buffer[32];
  char* end = buffer + sizeof(buffer);
  char* at = end;
  uint64_t fraction = ns % 1000;
  for (int i = 0; i < 3; ++i) {
    *--at = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  *--at = '.';
  uint64_t whole = ns / 1000;
  do {
    *--at = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0);
  out->append(at, static_cast<size_t>(end - at));
}

// Above any kernel thread id (pid_max is at most 2^22).
constexpr int64_t kTaskTidBase = 1000000000;

class JsonEncoder final : public Encoder {
 public:
  explicit JsonEncoder(const NameTable* names) : names_(names) {}

  void begin_trace(const ProcessInfo& process, std::string* out) override {
    pid_ = std::to_string(process.pid);
    out->append("{\"traceEvents\":[\n");
    out->append("{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":" + pid_ +
                ",\"tid\":0,\"args\":{\"name\":");
    escape_into(out, process.name);
    out->append("}}");
  }

  void thread(const ThreadInfo& thread, std::string* out) override {
    if (tids_.size() <= thread.ordinal) tids_.resize(thread.ordinal + 1);
    tids_[thread.ordinal] = thread.task
                                ? std::to_string(kTaskTidBase + thread.ordinal)
                                : std::to_string(thread.native_id);
    out->append(",\n{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":" + pid_ +
                ",\"tid\":" + tids_[thread.ordinal] + ",\"args\":{\"name\":");
    escape_into(out, thread_label(thread));
    out->append("}}");
  }

  void record(const Record& r, std::string* out) override {
    const std::string& name = name_of(r.name);
    const std::string& tid = r.thread < tids_.size() ? tids_[r.thread] : zero_;
    out->append(",\n{\"ph\":\"X\",\"cat\":\"python\",\"name\":");
    out->append(name);
    out->append(",\"ts\":");
    micros_into(out, r.begin_ns);
    out->append(",\"dur\":");
    micros_into(out, r.end_ns - r.begin_ns);
    out->append(",\"pid\":");
    out->append(pid_);
    out->append(",\"tid\":");
    out->append(tid);
    if (r.flags & (kLeftByException | kUnfinished)) {
      out->append(",\"args\":{");
      if (r.flags & kLeftByException) {
        out->append("\"left_by_exception\":true");
        int64_t exception = exception_name(r.flags);
        if (exception >= 0) {
          out->append(",\"exception\":");
          out->append(name_of(static_cast<uint32_t>(exception)));
        }
      }
      if ((r.flags & kLeftByException) && (r.flags & kUnfinished)) {
        out->push_back(',');
      }
      if (r.flags & kUnfinished) out->append("\"unfinished_at_exit\":true");
      out->push_back('}');
    }
    out->push_back('}');
    if (r.flow != 0) {
      const char* phase = (r.flags & kResumed) == 0 ? "s"
                          : (r.flags & kSuspended)  ? "t"
                                                    : "f";
      out->append(",\n{\"ph\":\"");
      out->append(phase);
      out->append("\",\"cat\":\"python\",\"name\":\"resume\",\"id\":");
      out->append(std::to_string(r.flow));
      out->append(",\"ts\":");
      micros_into(out, r.begin_ns);
      out->append(",\"pid\":");
      out->append(pid_);
      out->append(",\"tid\":");
      out->append(tid);
      if (phase[0] == 'f') out->append(",\"bp\":\"e\"");
      out->push_back('}');
    }
  }

  void dropped(const DropReport& drop, std::string* out) override {
    out->append(",\n{\"ph\":\"i\",\"s\":\"p\",\"cat\":\"pyhooks\",\"name\":");
    escape_into(out, "pyhooks tracer: " + std::to_string(drop.count) +
                         " earlier slices dropped (ring buffer)");
    out->append(",\"ts\":");
    micros_into(out, drop.until_ns);
    out->append(",\"pid\":" + pid_ +
                ",\"tid\":0,\"args\":{\"dropped_events\":" +
                std::to_string(drop.count) + ",\"dropped_from_us\":");
    micros_into(out, drop.from_ns);
    out->append(",\"dropped_until_us\":");
    micros_into(out, drop.until_ns);
    out->append("}}");
  }

  void end_trace(const DropReport& drop, uint64_t slices,
                 std::string* out) override {
    out->append("\n],\"displayTimeUnit\":\"ns\",\"otherData\":{");
    out->append(
        "\"producer\":\"pyhooks tracer\",\"slices\":" + std::to_string(slices) +
        ",\"dropped_events\":" + std::to_string(drop.count));
    if (drop.count != 0) {
      out->append(",\"dropped_from_us\":");
      micros_into(out, drop.from_ns);
      out->append(",\"dropped_until_us\":");
      micros_into(out, drop.until_ns);
    }
    out->append("}}\n");
  }

  uint32_t events_per_slice() const override { return 1; }

 private:
  // The escaped name, cached per id (the table is shared with the Python
  // threads; its lock is taken once per name).
  const std::string& name_of(uint32_t id) {
    if (escaped_.size() <= id) escaped_.resize(id + 1024);
    std::string& cached = escaped_[id];
    if (cached.empty()) escape_into(&cached, names_->get(id));
    return cached;
  }

  const NameTable* names_;
  std::string pid_;
  std::string zero_ = "0";
  std::vector<std::string> tids_;     // by thread ordinal
  std::vector<std::string> escaped_;  // by name id
};

}  // namespace

std::unique_ptr<Encoder> make_json_encoder(const NameTable* names) {
  return std::make_unique<JsonEncoder>(names);
}

}  // namespace tracer
