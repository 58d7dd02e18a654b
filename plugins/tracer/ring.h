// plugins/tracer/ring.h - mode = "ring": the last `capacity` slices of the
// whole process, in completion order, and an exact account of what was
// overwritten (how many, from when until when).
//
// Completion order means a kept slice's callers, which end later, are kept
// too. Every caller holds the GIL, so the ring takes no lock.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "capture.h"
#include "encoder.h"
#include "trace_record.h"

namespace tracer {

class Ring {
 public:
  // Reserves the whole ring up front (up to 2**24 slices, 512 MiB of
  // address space that stays unmapped until used), so that the signal
  // flush never reads a vector that is being reallocated.
  explicit Ring(uint64_t capacity) : capacity_(capacity) {
    records_.reserve(static_cast<size_t>(std::min(capacity_, kReserved)));
  }

  // `capture` (moved from) goes with a record that has kCaptured.
  void push(const Record& record, Capture* capture = nullptr) {
    if (records_.size() < capacity_) {
      if (records_.capacity() == records_.size()) grow();
      if (record.flags & kCaptured) keep(records_.size(), capture);
      records_.push_back(record);
      return;
    }
    Record& oldest = records_[head_];
    if (oldest.flags & kCaptured) captures_[head_].clear();
    if (record.flags & kCaptured) keep(head_, capture);
    if (drop_.count == 0 || oldest.begin_ns < drop_.from_ns) {
      drop_.from_ns = oldest.begin_ns;
    }
    drop_.until_ns = std::max(drop_.until_ns, oldest.end_ns);
    ++drop_.count;
    oldest = record;
    if (++head_ == capacity_) head_ = 0;
  }

  // Oldest to newest.
  template <typename Visit>
  void for_each(Visit visit) const {
    for (size_t i = head_; i < records_.size(); ++i) visit(records_[i]);
    for (size_t i = 0; i < head_; ++i) visit(records_[i]);
  }

  // Oldest to newest, with each record's Capture (nullptr: none).
  template <typename Visit>
  void for_each_captured(Visit visit) const {
    for_each([&](const Record& record) {
      size_t slot = static_cast<size_t>(&record - records_.data());
      visit(record, (record.flags & kCaptured) && slot < captures_.size()
                        ? &captures_[slot]
                        : nullptr);
    });
  }

  const DropReport& drops() const { return drop_; }
  uint64_t size() const { return records_.size(); }
  void clear() {
    records_.clear();
    captures_.clear();
    head_ = 0;
    drop_ = DropReport{};
  }

 private:
  // Beyond the reservation: grows in steps.
  void grow() {
    uint64_t next = std::max<uint64_t>(4096, records_.capacity() * 2);
    records_.reserve(static_cast<size_t>(std::min(next, capacity_)));
  }

  void keep(size_t slot, Capture* capture) {
    if (captures_.size() <= slot) captures_.resize(slot + 1);
    if (capture != nullptr) captures_[slot] = std::move(*capture);
  }

  static constexpr uint64_t kReserved = uint64_t{1} << 24;

  uint64_t capacity_;
  std::vector<Record> records_;
  std::vector<Capture> captures_;  // by slot, up to the last captured one
  size_t head_ = 0;                // the oldest record once full
  DropReport drop_;
};

}  // namespace tracer
