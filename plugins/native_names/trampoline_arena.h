// plugins/native_names/trampoline_arena.h - executable memory for the
// per-code-object trampolines.
//
// A trampoline is a tiny machine-code stub, one copy per Python function,
// that calls the interpreter and returns its result (a
// pyhooks_trampoline_fn, ABI 1.2):
//
//     PyObject* stub(tstate, frame, throwflag, interpreter)
//         push rbp; mov rbp, rsp; call *interpreter; pop rbp; ret (x86-64)
//
// so a native stack shows a distinct return address per Python function,
// which the perf map names. Every stub is the same code, so a 64 KiB chunk is
// filled with copies once and then made read+execute (never writable and
// executable at once), and handing one out writes nothing.
//
// Addresses are recycled by name: a stub whose code object died goes back to
// a free list for its perf-map name ("py::qualname:filename"), and only a new
// code object with the same name reuses it. An address therefore always
// stands for one name, so the map never has two names for one range, and
// memory grows with the number of distinct names, not with every code object
// ever created (exec() in a loop, namedtuple, dataclasses). Chunks are never
// unmapped: a stub can still be on the stack after its code object died.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace native_names {

// Non-zero when this build has a stub for the machine it runs on.
bool arena_supported();
// The machine's name, for the message when it has none.
const char* machine_name();

class TrampolineArena {
 public:
  static constexpr size_t kStubSize = 16;  // stub + int3 padding
  static constexpr size_t kChunkSize = 64 * 1024;

  TrampolineArena() = default;
  TrampolineArena(const TrampolineArena&) = delete;
  TrampolineArena& operator=(const TrampolineArena&) = delete;

  // Maps the first chunk now, so that a system refusing executable memory
  // is found at start-up. false with `error` set.
  bool reserve(std::string* error) {
    return !chunks_.empty() || add_chunk(error);
  }
  // A stub for `name`; `fresh` tells whether its address is new (and so
  // needs a perf-map line). nullptr with `error` set when no executable
  // memory could be had.
  void* acquire(const std::string& name, bool* fresh, std::string* error);
  // The code object `stub` served is gone.
  void release(void* stub);

  size_t distinct_stubs() const { return names_.size(); }
  size_t chunk_count() const { return chunks_.size(); }

 private:
  bool add_chunk(std::string* error);

  std::vector<uint8_t*> chunks_;
  size_t used_in_last_chunk_ = 0;
  std::unordered_map<const void*, std::string> names_;  // stub -> its name
  std::unordered_map<std::string, std::vector<void*>> free_by_name_;
};

}  // namespace native_names
