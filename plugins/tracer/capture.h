// plugins/tracer/capture.h - what capture_args / capture_return recorded
// for one slice: each parameter's repr, and the value it returned or
// yielded.
//
// A record with kCaptured in its flags has one Capture beside it: in its
// chunk (Chunk::captures, in record order) or in the ring (Ring keeps them
// per slot). The encoders write it as debug annotations "args.NAME" and
// "return_value" / "yielded" (Perfetto), or as "args": {"args": {...},
// "return_value": ...} (JSON).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tracer {

struct Capture {
  std::vector<std::pair<std::string, std::string>> args;  // name, repr
  // "return_value" or "yielded" (a run that ended by YIELD); nullptr when
  // nothing was captured at the exit.
  const char* exit_key = nullptr;
  std::string exit_value;

  bool empty() const { return args.empty() && exit_key == nullptr; }
  void clear() {
    args.clear();
    exit_key = nullptr;
    exit_value.clear();
  }
};

// Cuts `text` (UTF-8) after `limit` code points, appending "..." when it
// cut, so a multi-byte character is never split.
void cut_utf8(std::string* text, uint32_t limit);

}  // namespace tracer
