// plugins/support/flat_map.h - a small open-addressing hash map from a
// non-zero 64-bit key to a 32-bit index, for the per-thread call-path and
// caller-edge tables (the only hashing on the profiler's hot path); any
// plugin's table keyed by small integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pyhooks::support {

class FlatMap {
 public:
  FlatMap() { reset(16); }

  // The value stored for `key` (never 0), or nullptr.
  const uint32_t* find(uint64_t key) const {
    size_t i = slot_of(key);
    while (true) {
      const Slot& slot = slots_[i];
      if (slot.key == key) return &slot.value;
      if (slot.key == 0) return nullptr;
      i = (i + 1) & mask_;
    }
  }

  // Stores `value` for `key` (which must not be present yet).
  void insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    place(key, value);
    ++size_;
  }

  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint64_t key;
    uint32_t value;
  };

  size_t slot_of(uint64_t key) const {
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void place(uint64_t key, uint32_t value) {
    size_t i = slot_of(key);
    while (slots_[i].key != 0) i = (i + 1) & mask_;
    slots_[i] = {key, value};
  }

  void reset(size_t capacity) {
    slots_.assign(capacity, Slot{0, 0});
    mask_ = capacity - 1;
    unsigned bits = 0;
    while ((size_t{1} << bits) < capacity) ++bits;
    shift_ = 64 - bits;
  }

  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    reset(old.size() * 2);
    for (const Slot& slot : old) {
      if (slot.key != 0) place(slot.key, slot.value);
    }
  }

  std::vector<Slot> slots_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  size_t size_ = 0;
};

}  // namespace pyhooks::support
