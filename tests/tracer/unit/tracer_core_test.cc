// tests/tracer/unit/tracer_core_test.cc - the tracer's logic without
// Python: the ring's exact drop account, the protobuf wire encoding, the
// JSON encoder's escaping, units and flow phases, and the merge of a
// child's trace (sequence ids moved, a cut file taken up to whole records).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "encoder.h"
#include "name_table.h"
#include "proto_writer.h"
#include "ring.h"
#include "trace_merge.h"

namespace tracer {
namespace {

Record slice(uint64_t begin, uint64_t end, uint32_t name = 0) {
  return Record{begin, end, name, 1, 0, 0};
}

TEST(Ring, KeepsTheLastSlicesAndCountsTheRest) {
  Ring ring(3);
  for (uint64_t i = 0; i < 10; ++i) ring.push(slice(100 + i, 200 + i));
  EXPECT_EQ(ring.size(), 3u);
  EXPECT_EQ(ring.drops().count, 7u);
  EXPECT_EQ(ring.drops().from_ns, 100u);
  EXPECT_EQ(ring.drops().until_ns, 206u);
  std::vector<uint64_t> kept;
  ring.for_each([&](const Record& r) { kept.push_back(r.begin_ns); });
  EXPECT_EQ(kept, (std::vector<uint64_t>{107, 108, 109}));
}

TEST(Ring, ThatNeverWrapsDropsNothing) {
  Ring ring(5);
  for (uint64_t i = 0; i < 5; ++i) ring.push(slice(i, i + 1));
  EXPECT_EQ(ring.drops().count, 0u);
  ring.clear();
  EXPECT_EQ(ring.size(), 0u);
}

TEST(ProtoWriter, VarintsAndFields) {
  std::string out;
  proto::varint(&out, 300);
  EXPECT_EQ(out, std::string("\xAC\x02", 2));
  out.clear();
  proto::uint_field(&out, 8, 1);  // tag (8 << 3 | 0) = 64
  EXPECT_EQ(out, std::string("\x40\x01", 2));
  out.clear();
  proto::bytes_field(&out, 2, "ab");
  EXPECT_EQ(out, std::string("\x12\x02"
                             "ab",
                             4));
  out.clear();
  proto::fixed64_field(&out, 47, 0x0102030405060708ull);
  EXPECT_EQ(out, std::string("\xF9\x02\x08\x07\x06\x05\x04\x03\x02\x01", 10));
}

TEST(JsonEncoder, CompleteEventsInMicroseconds) {
  NameTable names;
  names.add("say \"hi\"\n (a.py:1)");
  auto encoder = make_encoder(Format::kJson, &names);
  std::string out;
  ProcessInfo process;
  process.pid = 42;
  process.name = "python a.py";
  encoder->begin_trace(process, &out);
  ThreadInfo thread{1, 7, 4242, true, ""};
  encoder->thread(thread, &out);
  uint32_t value_error = names.add("ValueError");
  encoder->record(Record{1234567, 1236567, 0, 1, 0,
                         kLeftByException | exception_flags(value_error)},
                  &out);
  encoder->end_trace(DropReport{}, 1, &out);
  EXPECT_NE(out.find("\"name\":\"say \\\"hi\\\"\\u000a (a.py:1)\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"ts\":1234.567,\"dur\":2.000"), std::string::npos)
      << out;
  EXPECT_NE(out.find("\"tid\":4242"), std::string::npos);
  EXPECT_NE(out.find("\"left_by_exception\":true,\"exception\":\"ValueError\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\"name\":\"main thread\""), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 3), "}}\n");
}

TEST(JsonEncoder, FlowPhasesFollowTheRuns) {
  NameTable names;
  names.add("gen (g.py:1)");
  auto encoder = make_encoder(Format::kJson, &names);
  std::string out;
  encoder->begin_trace(ProcessInfo{}, &out);
  encoder->record(Record{10, 20, 0, 1, 5, kSuspended}, &out);
  encoder->record(Record{30, 40, 0, 1, 5, kSuspended | kResumed}, &out);
  encoder->record(Record{50, 60, 0, 1, 5, kResumed}, &out);
  size_t s = out.find("\"ph\":\"s\"");
  size_t t = out.find("\"ph\":\"t\"");
  size_t f = out.find("\"ph\":\"f\"");
  ASSERT_NE(s, std::string::npos);
  ASSERT_NE(t, std::string::npos);
  ASSERT_NE(f, std::string::npos);
  EXPECT_LT(s, t);
  EXPECT_LT(t, f);
  EXPECT_NE(out.find("\"bp\":\"e\"", f), std::string::npos);
}

TEST(PerfettoEncoder, InternsEachNameOncePerThread) {
  NameTable names;
  names.add("unique_function_name (p.py:3)");
  auto encoder = make_encoder(Format::kPerfetto, &names);
  std::string out;
  encoder->begin_trace(ProcessInfo{}, &out);
  encoder->thread(ThreadInfo{1, 1, 1, true, ""}, &out);
  encoder->thread(ThreadInfo{2, 2, 2, false, "worker-1"}, &out);
  for (int i = 0; i < 3; ++i) {
    encoder->record(
        Record{uint64_t(10 * i + 1), uint64_t(10 * i + 2), 0, 1, 0, 0}, &out);
  }
  encoder->record(Record{100, 101, 0, 2, 0, 0}, &out);
  size_t count = 0;
  for (size_t at = out.find("unique_function_name"); at != std::string::npos;
       at = out.find("unique_function_name", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u);  // once per sequence
  // threading's name labels the track; without one, "main thread".
  EXPECT_NE(out.find("worker-1"), std::string::npos);
  EXPECT_NE(out.find("main thread"), std::string::npos);
}

// A child's Perfetto trace of two slices on one thread, complete or not.
std::string child_trace(const NameTable& names, bool complete) {
  auto encoder = make_encoder(Format::kPerfetto, &names);
  std::string out;
  ProcessInfo process;
  process.pid = 77;
  process.name = "child";
  encoder->begin_trace(process, &out);
  encoder->thread(ThreadInfo{1, 1, 78, true, ""}, &out);
  encoder->record(Record{10, 20, 0, 1, 0, 0}, &out);
  encoder->record(Record{30, 40, 0, 1, 0, 0}, &out);
  if (complete) encoder->end_trace(DropReport{}, 2, &out);
  return out;
}

// Every trusted_packet_sequence_id in a Trace, in order.
std::vector<uint64_t> sequences(const std::string& trace) {
  std::vector<uint64_t> found;
  size_t at = 0;
  auto varint = [&](size_t* p) {
    uint64_t value = 0;
    for (int shift = 0;; shift += 7) {
      auto byte = static_cast<uint8_t>(trace[(*p)++]);
      value |= uint64_t{byte & 0x7Fu} << shift;
      if (!(byte & 0x80)) return value;
    }
  };
  while (at < trace.size()) {
    varint(&at);  // Trace.packet
    size_t end = at + varint(&at);
    while (at < end) {
      uint64_t key = varint(&at);
      if ((key & 7) == 0) {
        uint64_t value = varint(&at);
        if ((key >> 3) == 10) found.push_back(value);
      } else if ((key & 7) == 2) {
        at += varint(&at);
      } else {
        at += (key & 7) == 1 ? 8 : 4;
      }
    }
  }
  return found;
}

std::string merged(const std::string& child_bytes, MergedChild* result,
                   uint32_t* next_sequence) {
  char path[] = "/tmp/pyhooks-merge-test-XXXXXX";
  int fd = mkstemp(path);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(write(fd, child_bytes.data(), child_bytes.size()),
            static_cast<ssize_t>(child_bytes.size()));
  close(fd);
  std::string out;
  *result =
      merge_perfetto_child(ChildTrace{path, 77}, false, 5, next_sequence,
                           [&](const std::string& bytes) { out += bytes; });
  unlink(path);
  return out;
}

TEST(Merge, MovesTheChildsSequencesPastThoseInTheFile) {
  NameTable names;
  names.add("f (c.py:1)");
  MergedChild result;
  uint32_t next_sequence = 4;  // the program used sequences 1..3
  std::string out = merged(child_trace(names, true), &result, &next_sequence);
  EXPECT_TRUE(result.read);
  EXPECT_TRUE(result.complete);
  for (uint64_t sequence : sequences(out)) {
    EXPECT_GE(sequence, 4u);  // the child's 1 and 2 became 4 and 5
    EXPECT_LE(sequence, 5u);
  }
  EXPECT_EQ(next_sequence, 6u);
  EXPECT_EQ(out.find("trace_incomplete"), std::string::npos);
  // Only the sequence ids changed: same length (one-byte varints).
  EXPECT_EQ(out.size(), child_trace(names, true).size());
}

TEST(Merge, TakesACutTraceUpToWholeRecordsAndSaysSo) {
  NameTable names;
  names.add("f (c.py:1)");
  std::string whole = child_trace(names, false);
  // Cut in the last record's SLICE_END packet: its SLICE_BEGIN goes too.
  std::string cut = whole.substr(0, whole.size() - 3);
  MergedChild result;
  uint32_t next_sequence = 2;
  std::string out = merged(cut, &result, &next_sequence);
  EXPECT_TRUE(result.read);
  EXPECT_FALSE(result.complete);
  EXPECT_NE(out.find("trace_incomplete"), std::string::npos);
  EXPECT_NE(out.find("process 77 did not end"), std::string::npos);
  // Descriptors (2 packets) + the first record (2) + the mark; the second
  // record's begin is left out with its lost end.
  EXPECT_EQ(sequences(out).size(), 5u);
  // Without the closing descriptor a whole file is incomplete too.
  out = merged(whole, &result, &next_sequence);
  EXPECT_FALSE(result.complete);
  EXPECT_EQ(sequences(out).size(), 7u);
}

}  // namespace
}  // namespace tracer
