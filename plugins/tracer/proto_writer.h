// plugins/tracer/proto_writer.h - the protobuf wire format, the little of it
// the Perfetto encoder needs: varints, tags, length-delimited fields and
// fixed64, appended to a std::string.
//
// Nested messages are built in a separate string and appended with their
// length (Perfetto's messages here are a few dozen bytes, so the copy is
// cheaper than reserving and patching a length).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace tracer {
namespace proto {

enum WireType : uint32_t { kVarint = 0, kFixed64 = 1, kLength = 2 };

inline void varint(std::string* out, uint64_t value) {
  char bytes[10];
  size_t n = 0;
  while (value >= 0x80) {
    bytes[n++] = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  bytes[n++] = static_cast<char>(value);
  out->append(bytes, n);
}

inline void tag(std::string* out, uint32_t field, WireType type) {
  varint(out, (static_cast<uint64_t>(field) << 3) | type);
}

inline void uint_field(std::string* out, uint32_t field, uint64_t value) {
  tag(out, field, kVarint);
  varint(out, value);
}

inline void int_field(std::string* out, uint32_t field, int64_t value) {
  uint_field(out, field, static_cast<uint64_t>(value));
}

inline void fixed64_field(std::string* out, uint32_t field, uint64_t value) {
  tag(out, field, kFixed64);
  char bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>(value >> (8 * i));
  out->append(bytes, 8);
}

inline void bytes_field(std::string* out, uint32_t field, const char* data,
                        size_t size) {
  tag(out, field, kLength);
  varint(out, size);
  out->append(data, size);
}

inline void bytes_field(std::string* out, uint32_t field,
                        const std::string& data) {
  bytes_field(out, field, data.data(), data.size());
}

// The same, into a caller's buffer (the encoders' hot path): returns the
// end. A varint takes at most 10 bytes.
inline char* put_varint(char* at, uint64_t value) {
  while (value >= 0x80) {
    *at++ = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  *at++ = static_cast<char>(value);
  return at;
}

inline char* put_fixed64(char* at, uint64_t value) {
  for (int i = 0; i < 8; ++i) *at++ = static_cast<char>(value >> (8 * i));
  return at;
}

}  // namespace proto
}  // namespace tracer
