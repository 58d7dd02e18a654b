// plugins/profiler/marshal_writer.cc - marshal encoding (see
// marshal_writer.h).
#include "marshal_writer.h"

#include <cstring>
#include <vector>

namespace profiler {

void MarshalWriter::int32(int32_t value) {
  auto bits = static_cast<uint32_t>(value);
  for (int shift = 0; shift < 32; shift += 8) {
    out_ += static_cast<char>((bits >> shift) & 0xFF);
  }
}

void MarshalWriter::integer(int64_t value) {
  if (value >= INT32_MIN && value <= INT32_MAX) {
    out_ += 'i';
    int32(static_cast<int32_t>(value));
    return;
  }
  // TYPE_LONG: digit count (negative for negative numbers), then base-2**15
  // digits, least significant first.
  bool negative = value < 0;
  uint64_t magnitude = negative ? 0ull - static_cast<uint64_t>(value)
                                : static_cast<uint64_t>(value);
  std::vector<uint16_t> digits;
  while (magnitude != 0) {
    digits.push_back(static_cast<uint16_t>(magnitude & 0x7FFF));
    magnitude >>= 15;
  }
  out_ += 'l';
  auto count = static_cast<int32_t>(digits.size());
  int32(negative ? -count : count);
  for (uint16_t digit : digits) {
    out_ += static_cast<char>(digit & 0xFF);
    out_ += static_cast<char>(digit >> 8);
  }
}

void MarshalWriter::unsigned_integer(uint64_t value) {
  if (value <= static_cast<uint64_t>(INT64_MAX)) {
    integer(static_cast<int64_t>(value));
  } else {
    integer(INT64_MAX);  // 292 years of nanoseconds; unreachable in practice
  }
}

void MarshalWriter::real(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  out_ += 'g';
  for (int shift = 0; shift < 64; shift += 8) {
    out_ += static_cast<char>((bits >> shift) & 0xFF);
  }
}

void MarshalWriter::text(const std::string& utf8) {
  out_ += 'u';
  int32(static_cast<int32_t>(utf8.size()));
  out_ += utf8;
}

}  // namespace profiler
