// plugins/native_names/native_names.h - the evaluator: every Python function
// it is offered runs the rest of the chain through its own trampoline, so
// native profilers (perf) see one named address per Python function.
//
// The call, for a function `fib` (see docs/internals/native-names.md):
//
//   host eval-frame hook -> NativeNames::evaluate(frame)
//     -> stub for fib (trampoline_arena.h; named "py::fib:app.py" in the map)
//        -> api->eval_next(self, frame): the next evaluator (or CPython's
//           interpreter), which runs fib's body
//
// Per code object the plugin keeps the stub's address in its code slot; the
// first call of a code object decides (include/exclude) and names the stub.
// A small direct-mapped cache (code object -> stub) in front of the slot
// saves the host call on most calls; code_free evicts a dying code object,
// so a new code object at a recycled address never finds a stale stub.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <string>

#include "name_filter.h"
#include "trampoline_arena.h"

namespace native_names {

class NativeNames {
 public:
  NativeNames(pyhooks_plugin* self, NameFilter filter)
      : self_(self), filter_(std::move(filter)) {}

  // Maps the first chunk, so that a system refusing executable memory is
  // reported at start-up. "" on success, else why not.
  std::string prepare();

  // The hot path, inline into the plugin's C callback: the cache, else the
  // code slot; then the stub. Never throws (slow_lookup catches).
  pyhooks_status evaluate(pyhooks_frame* frame, struct _object** result) {
    CacheLine& line = cache_[cache_index(frame->code)];
    void* stub = line.code == frame->code ? line.stub : nullptr;
    if (stub == nullptr) {
      bool out_of_memory = false;
      stub = slow_lookup(frame->code, &out_of_memory);
      if (stub == nullptr) {
        return out_of_memory ? PYHOOKS_DECLINED : PYHOOKS_DISABLE;
      }
      line = CacheLine{frame->code, stub};
    }
    *result = reinterpret_cast<Stub>(stub)(self_, frame, self_->api->eval_next);
    return *result != nullptr ? PYHOOKS_HANDLED : PYHOOKS_ERROR;
  }
  // `code_key`'s code object is gone; `stub` is what its slot held.
  void forget(const void* code_key, void* stub);
  // One line for PYHOOKS_VERBOSE=1 at shutdown.
  std::string summary() const;

 private:
  // The stub for a code object's first call; nullptr when the filter leaves
  // it out or no memory could be had.
  void* assign(struct _object* code);
  // The stub from the code slot (assigning one on the first call), or
  // nullptr: DISABLE, or DECLINED with *out_of_memory.
  void* slow_lookup(struct _object* code, bool* out_of_memory) noexcept;

  // A stub is called as stub(self, frame, target) and calls target(self,
  // frame): here api->eval_next, the rest of the chain.
  using Stub = struct _object* (*)(pyhooks_plugin*, pyhooks_frame*,
                                   struct _object* (*)(pyhooks_plugin*,
                                                       pyhooks_frame*));

  struct CacheLine {
    const void* code;
    void* stub;
  };
  static constexpr size_t kCacheLines = 4096;
  static size_t cache_index(const void* code) {
    auto bits = reinterpret_cast<uintptr_t>(code);
    return ((bits >> 4) ^ (bits >> 16)) & (kCacheLines - 1);
  }

  pyhooks_plugin* self_;
  NameFilter filter_;
  TrampolineArena arena_;
  size_t named_ = 0;     // code objects given a stub
  size_t excluded_ = 0;  // left out by the filter
  bool memory_failed_ = false;
  CacheLine cache_[kCacheLines] = {};
};

// The perf-map name of a code object: "py::qualname:filename", as CPython's
// -X perf writes it, newlines replaced so the map stays one line per entry.
std::string perf_name(const char* qualname, const char* filename);

}  // namespace native_names
