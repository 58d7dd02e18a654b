// plugins/tracer/perfetto_encoder.cc - records as Perfetto's native trace
// (perfetto.protos.Trace: a sequence of TracePacket), for ui.perfetto.dev
// and trace_processor.
//
// Layout (field numbers are upstream's; tests/tracer/proto/ has the .proto
// copy the tests decode with):
//   packet 1, sequence 1: the process TrackDescriptor (uuid pid<<32).
//   per thread, its own sequence (ordinal + 1): one packet that clears the
//     incremental state, sets TracePacketDefaults.track_event_defaults.
//     track_uuid to the thread's track and carries its TrackDescriptor
//     (uuid pid<<32 | ordinal); then per slice a SLICE_BEGIN and a SLICE_END
//     packet. A name is sent once per sequence as InternedData.event_names
//     (iid = name id + 1) in the first packet that uses it.
//   generator runs carry flow_ids (the activation goes on) or
//     terminating_flow_ids (its last run), id pid<<32 | flow.
//   ring losses: an INSTANT on the process track with debug annotations.
//   an asyncio task (async_tracks) is described like a thread, on its own
//     sequence, but its TrackDescriptor has a name and the process track as
//     parent, and no ThreadDescriptor.
//   the end: the process descriptor packet again, so that a reader (the
//     merge, trace_merge.cc) can tell a complete file from one cut short.
//   captured values (capture.h): string debug annotations "args.NAME" and
//     "return_value" / "yielded" on the SLICE_BEGIN.
// Packets are in completion order (a parent after its children); timestamps
// are strictly increasing per thread, so the trace processor's sort puts
// every begin and end back in place.
#include <vector>

#include "encoder.h"
#include "proto_writer.h"

namespace tracer {

namespace {

// perfetto.protos field numbers.
enum : uint32_t {
  kTracePacket = 1,  // Trace.packet
  // TracePacket
  kTimestamp = 8,
  kSequenceId = 10,  // trusted_packet_sequence_id
  kTrackEvent = 11,
  kInternedData = 12,
  kSequenceFlags = 13,
  kTracePacketDefaults = 59,
  kTrackDescriptor = 60,
  // TracePacketDefaults / TrackEventDefaults
  kTrackEventDefaults = 11,
  kDefaultTrackUuid = 11,
  // TrackDescriptor
  kTrackUuid = 1,
  kTrackName = 2,
  kTrackProcess = 3,
  kTrackThread = 4,
  kTrackParentUuid = 5,
  // ProcessDescriptor / ThreadDescriptor
  kPid = 1,
  kTid = 2,
  kProcessName = 6,
  kThreadName = 5,
  // TrackEvent
  kDebugAnnotations = 4,
  kType = 9,
  kNameIid = 10,
  kEventTrackUuid = 11,
  kEventName = 23,
  kFlowIds = 47,
  kTerminatingFlowIds = 48,
  // InternedData / EventName
  kEventNames = 2,
  kIid = 1,
  kInternedName = 2,
  // DebugAnnotation
  kAnnotationBool = 2,
  kAnnotationUint = 3,
  kAnnotationString = 6,
  kAnnotationName = 10,
};
enum : uint64_t {
  kSliceBegin = 1,
  kSliceEnd = 2,
  kInstant = 3,
  kIncrementalStateCleared = 1,
  kNeedsIncrementalState = 2,
};

class PerfettoEncoder final : public Encoder {
 public:
  explicit PerfettoEncoder(const NameTable* names) : names_(names) {}

  void begin_trace(const ProcessInfo& process, std::string* out) override {
    pid_ = static_cast<uint64_t>(process.pid);
    std::string descriptor_body;
    proto::bytes_field(&descriptor_body, kProcessName, process.name);
    proto::int_field(&descriptor_body, kPid, process.pid);
    std::string track;
    proto::uint_field(&track, kTrackUuid, track_uuid(0));
    proto::bytes_field(&track, kTrackProcess, descriptor_body);
    process_packet_.clear();
    proto::uint_field(&process_packet_, kSequenceId, 1);
    proto::bytes_field(&process_packet_, kTrackDescriptor, track);
    proto::bytes_field(out, kTracePacket, process_packet_);
  }

  void thread(const ThreadInfo& thread, std::string* out) override {
    std::string descriptor_body;
    proto::int_field(&descriptor_body, kPid, static_cast<int64_t>(pid_));
    proto::int_field(&descriptor_body, kTid, thread.native_id);
    proto::bytes_field(&descriptor_body, kThreadName, thread_label(thread));
    std::string track;
    proto::uint_field(&track, kTrackUuid, track_uuid(thread.ordinal));
    proto::uint_field(&track, kTrackParentUuid, track_uuid(0));
    if (thread.task) {
      proto::bytes_field(&track, kTrackName, thread_label(thread));
    } else {
      proto::bytes_field(&track, kTrackThread, descriptor_body);
    }

    std::string event_defaults;
    proto::uint_field(&event_defaults, kDefaultTrackUuid,
                      track_uuid(thread.ordinal));
    std::string defaults;
    proto::bytes_field(&defaults, kTrackEventDefaults, event_defaults);

    std::string packet;
    proto::uint_field(&packet, kSequenceId, sequence(thread.ordinal));
    proto::uint_field(&packet, kSequenceFlags, kIncrementalStateCleared);
    proto::bytes_field(&packet, kTracePacketDefaults, defaults);
    proto::bytes_field(&packet, kTrackDescriptor, track);
    proto::bytes_field(out, kTracePacket, packet);
    if (sent_.size() <= thread.ordinal) sent_.resize(thread.ordinal + 1);
    sent_[thread.ordinal].clear();
  }

  void record(const Record& r, std::string* out) override {
    if ((r.flags & (kLeftByException | kUnfinished)) == 0 && is_sent(r)) {
      fast_record(r, out);
      return;
    }
    general_record(r, nullptr, out);
  }

  void captured_record(const Record& r, const Capture& capture,
                       std::string* out) override {
    general_record(r, &capture, out);
  }

  void dropped(const DropReport& drop, std::string* out) override {
    std::string event;
    proto::uint_field(&event, kType, kInstant);
    proto::uint_field(&event, kEventTrackUuid, track_uuid(0));
    proto::bytes_field(&event, kEventName, drop_title(drop));
    annotation(&event, "dropped_events", &drop.count, false);
    annotation(&event, "dropped_from_ns", &drop.from_ns, false);
    annotation(&event, "dropped_until_ns", &drop.until_ns, false);
    std::string packet;
    proto::uint_field(&packet, kTimestamp, drop.until_ns);
    proto::uint_field(&packet, kSequenceId, 1);
    proto::bytes_field(&packet, kTrackEvent, event);
    proto::bytes_field(out, kTracePacket, packet);
  }

  void end_trace(const DropReport&, uint64_t, std::string* out) override {
    proto::bytes_field(out, kTracePacket, process_packet_);
  }

  uint32_t events_per_slice() const override { return 2; }

 private:
  // Any record: the name interned if new, annotations, flows.
  void general_record(const Record& r, const Capture* capture,
                      std::string* out) {
    // SLICE_BEGIN, with the name (interned) and the flow.
    event_.clear();
    proto::uint_field(&event_, kType, kSliceBegin);
    proto::uint_field(&event_, kNameIid, uint64_t{r.name} + 1);
    if (r.flow != 0) {
      proto::fixed64_field(&event_, flow_field(r), (pid_ << 32) | r.flow);
    }
    if (r.flags & kLeftByException) {
      annotation(&event_, "left_by_exception", nullptr, true);
      int64_t exception = exception_name(r.flags);
      if (exception >= 0) {
        text_annotation(&event_, "exception",
                        names_->get(static_cast<uint32_t>(exception)));
      }
    }
    if (r.flags & kUnfinished) {
      annotation(&event_, "unfinished_at_exit", nullptr, true);
    }
    if (capture != nullptr) {
      for (const auto& [name, value] : capture->args) {
        text_annotation(&event_, "args." + name, value);
      }
      if (capture->exit_key != nullptr) {
        text_annotation(&event_, capture->exit_key, capture->exit_value);
      }
    }
    packet_.clear();
    proto::uint_field(&packet_, kTimestamp, r.begin_ns);
    proto::uint_field(&packet_, kSequenceId, sequence(r.thread));
    intern(r, &packet_);
    proto::uint_field(&packet_, kSequenceFlags, kNeedsIncrementalState);
    proto::bytes_field(&packet_, kTrackEvent, event_);
    proto::bytes_field(out, kTracePacket, packet_);
    end_packet(r, out);
  }

  static uint32_t flow_field(const Record& r) {
    // The activation goes on (flow_ids), or this is its last run.
    return (r.flags & kSuspended) ? kFlowIds : kTerminatingFlowIds;
  }

  bool is_sent(const Record& r) const {
    return r.thread < sent_.size() && sent_[r.thread].size() > r.name &&
           sent_[r.thread][r.name];
  }

  // The common case (name already interned, no annotations): both packets
  // written byte by byte into one buffer and appended at once (the same
  // fields as the general path, in the same order). Every length here is
  // below 128, so each fits one varint byte.
  void fast_record(const Record& r, std::string* out) {
    char buffer[kMaxFastBytes];
    // SLICE_BEGIN: its body starts after the two bytes of its head.
    char* at = buffer + 2;
    *at++ = static_cast<char>(kTimestamp << 3);
    at = proto::put_varint(at, r.begin_ns);
    at = put_sequence(at, r.thread);
    *at++ = static_cast<char>((kTrackEvent << 3) | proto::kLength);
    char* event_length = at++;
    *at++ = static_cast<char>(kType << 3);
    *at++ = static_cast<char>(kSliceBegin);
    *at++ = static_cast<char>(kNameIid << 3);
    at = proto::put_varint(at, uint64_t{r.name} + 1);
    if (r.flow != 0) {
      // flow_ids / terminating_flow_ids: a two-byte tag.
      at = proto::put_varint(at,
                             (uint64_t{flow_field(r)} << 3) | proto::kFixed64);
      at = proto::put_fixed64(at, (pid_ << 32) | r.flow);
    }
    *event_length = static_cast<char>(at - event_length - 1);
    buffer[0] = static_cast<char>((kTracePacket << 3) | proto::kLength);
    buffer[1] = static_cast<char>(at - buffer - 2);
    at = put_end_packet(at, r);
    out->append(buffer, static_cast<size_t>(at - buffer));
  }

  // SLICE_END: timestamp, sequence, flags, {type}.
  void end_packet(const Record& r, std::string* out) {
    char buffer[kMaxEndBytes];
    out->append(buffer,
                static_cast<size_t>(put_end_packet(buffer, r) - buffer));
  }

  static char* put_end_packet(char* at, const Record& r) {
    char* head = at;
    at += 2;
    *at++ = static_cast<char>(kTimestamp << 3);
    at = proto::put_varint(at, r.end_ns);
    at = put_sequence(at, r.thread);
    *at++ = static_cast<char>((kTrackEvent << 3) | proto::kLength);
    *at++ = 2;
    *at++ = static_cast<char>(kType << 3);
    *at++ = static_cast<char>(kSliceEnd);
    head[0] = static_cast<char>((kTracePacket << 3) | proto::kLength);
    head[1] = static_cast<char>(at - head - 2);
    return at;
  }

  // trusted_packet_sequence_id and sequence_flags (needs incremental
  // state), as every slice packet has them.
  static char* put_sequence(char* at, uint32_t thread) {
    *at++ = static_cast<char>(kSequenceId << 3);
    at = proto::put_varint(at, sequence(thread));
    *at++ = static_cast<char>(kSequenceFlags << 3);
    *at++ = static_cast<char>(kNeedsIncrementalState);
    return at;
  }

  // Packet head (2) + timestamp (1 + 10) + sequence (1 + 5 + 2) + event
  // (2 + its fields): 25 bytes at most for SLICE_END, 41 for SLICE_BEGIN.
  static constexpr size_t kMaxEndBytes = 2 + 11 + 8 + 2 + 2;
  static constexpr size_t kMaxFastBytes =
      2 + 11 + 8 + 2 + (2 + 1 + 5 + 2 + 8) + kMaxEndBytes;

  uint64_t track_uuid(uint32_t ordinal) const { return (pid_ << 32) | ordinal; }
  static uint64_t sequence(uint32_t ordinal) { return uint64_t{ordinal} + 1; }

  void intern(const Record& r, std::string* packet) {
    if (sent_.size() <= r.thread) sent_.resize(r.thread + 1);
    std::vector<bool>& sent = sent_[r.thread];
    if (sent.size() > r.name && sent[r.name]) return;
    if (sent.size() <= r.name) sent.resize(r.name + 1024);
    sent[r.name] = true;
    std::string name;
    proto::uint_field(&name, kIid, uint64_t{r.name} + 1);
    proto::bytes_field(&name, kInternedName, names_->get(r.name));
    std::string interned;
    proto::bytes_field(&interned, kEventNames, name);
    proto::bytes_field(packet, kInternedData, interned);
  }

  static void annotation(std::string* event, const char* name,
                         const uint64_t* value, bool flag) {
    std::string body;
    proto::bytes_field(&body, kAnnotationName, name,
                       std::char_traits<char>::length(name));
    if (value != nullptr) {
      proto::uint_field(&body, kAnnotationUint, *value);
    } else {
      proto::uint_field(&body, kAnnotationBool, flag ? 1 : 0);
    }
    proto::bytes_field(event, kDebugAnnotations, body);
  }

  static void text_annotation(std::string* event, const std::string& name,
                              const std::string& value) {
    std::string body;
    proto::bytes_field(&body, kAnnotationName, name);
    proto::bytes_field(&body, kAnnotationString, value);
    proto::bytes_field(event, kDebugAnnotations, body);
  }

  static std::string drop_title(const DropReport& drop) {
    return "pyhooks tracer: " + std::to_string(drop.count) +
           " earlier slices dropped (ring buffer)";
  }

  const NameTable* names_;
  uint64_t pid_ = 0;
  std::vector<std::vector<bool>> sent_;  // per thread: names interned
  std::string event_, packet_;           // scratch
  std::string process_packet_;           // the process descriptor
};

}  // namespace

std::unique_ptr<Encoder> make_perfetto_encoder(const NameTable* names) {
  return std::make_unique<PerfettoEncoder>(names);
}

}  // namespace tracer
