// tests/tracer/unit/tracer_core_test.cc - the tracer's logic without
// Python: the ring's exact drop account, the protobuf wire encoding, and the
// JSON encoder's escaping, units and flow phases; captured reprs (cut,
// kept by the ring with their slices); the TSC event clock.
#include <gtest/gtest.h>

#include <string>

#include "capture.h"
#include "encoder.h"
#include "event_clock.h"
#include "name_table.h"
#include "proto_writer.h"
#include "ring.h"

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

TEST(Capture, CutsAfterLimitCodePointsNeverInsideOne) {
  std::string text = "a\xC3\xA9\xE2\x82\xACz";  // a, e-acute, euro, z
  cut_utf8(&text, 3);
  EXPECT_EQ(text, "a\xC3\xA9\xE2\x82\xAC...");
  std::string short_text = "ab";
  cut_utf8(&short_text, 2);
  EXPECT_EQ(short_text, "ab");
}

TEST(Ring, KeepsCapturesWithTheirSlicesAndDropsTheOverwritten) {
  Ring ring(2);
  for (uint64_t i = 0; i < 5; ++i) {
    Record r = slice(i, i + 1);
    Capture capture;
    if (i % 2 == 0) {
      r.flags |= kCaptured;
      capture.args.emplace_back("i", std::to_string(i));
    }
    ring.push(r, &capture);
  }
  std::vector<std::string> seen;
  ring.for_each_captured([&](const Record& r, const Capture* capture) {
    seen.push_back(std::to_string(r.begin_ns) + ":" +
                   (capture ? capture->args.at(0).second : "-"));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"3:-", "4:4"}));
}

TEST(EventClock, FollowsClockMonotonicAndNeverGoesBack) {
  EventClock clock;
  uint64_t last = clock.now_ns();
  uint64_t start = pyhooks::support::read_clock(CLOCK_MONOTONIC);
  // Across several pieces (kRebaseNs each).
  while (pyhooks::support::read_clock(CLOCK_MONOTONIC) - start <
         3 * EventClock::kRebaseNs) {
    uint64_t now = clock.now_ns();
    ASSERT_GE(now, last);
    last = now;
  }
  int64_t error =
      static_cast<int64_t>(clock.now_ns()) -
      static_cast<int64_t>(pyhooks::support::read_clock(CLOCK_MONOTONIC));
  // A loose bound for a shared VM: the map tracks CLOCK_MONOTONIC.
  EXPECT_LT(std::llabs(error), 200000) << "uses TSC: " << clock.uses_tsc();
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

}  // namespace
}  // namespace tracer
