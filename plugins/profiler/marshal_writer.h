// plugins/profiler/marshal_writer.h - writes the subset of CPython's marshal
// format that pstats files use, without Python: dict '{'..'0', small tuple
// ')', int 'i' (32-bit) or long 'l' (15-bit digits), binary float 'g',
// unicode 'u' (4-byte length + UTF-8). No references (FLAG_REF), so every
// CPython from 3.4 on reads it; tests check 3.11, 3.12 and 3.13.
#pragma once

#include <cstdint>
#include <string>

namespace profiler {

class MarshalWriter {
 public:
  void begin_dict() { out_ += '{'; }
  void end_dict() { out_ += '0'; }
  // A tuple of `count` (< 256) items; write the items next.
  void begin_tuple(uint8_t count) {
    out_ += ')';
    out_ += static_cast<char>(count);
  }
  void integer(int64_t value);
  void unsigned_integer(uint64_t value);
  void real(double value);
  void text(const std::string& utf8);

  const std::string& bytes() const { return out_; }

 private:
  void int32(int32_t value);
  std::string out_;
};

}  // namespace profiler
