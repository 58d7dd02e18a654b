// plugins/native_names/native_names.h - the evaluator: every Python function
// it is offered enters the interpreter through its own trampoline, so native
// profilers (perf) see one named address per Python function.
//
// The call, for a function `fib` (see docs/internals/native-names.md):
//
//   host eval-frame hook -> (evaluators; none runs fib)
//     -> stub for fib (trampoline_arena.h; named "py::fib:app.py" in the map)
//        -> CPython's interpreter (or the evaluator that was in the slot
//           before pyhooks), which runs fib's body
//
// The stub is fib's interpreter trampoline (ABI 1.2,
// PYHOOKS_CAP_INTERPRETER_TRAMPOLINE): its address sits in the plugin's
// per-code bytes, where the host reads it whenever it enters the interpreter
// for fib. The plugin itself runs once per code object: fib's first call
// decides (include/exclude), names the stub, stores it, and answers DISABLE;
// code_free gives the stub back to the arena.
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

  // The per-code bytes the plugin declares: the code object's trampoline,
  // NULL until its first call (and for code left out).
  struct CodeData {
    pyhooks_trampoline_fn trampoline;
  };

  // A code object's first call (the plugin is never offered it again): its
  // trampoline stored in the frame's code data, or left out. Never throws.
  pyhooks_status evaluate(pyhooks_frame* frame) noexcept;
  // A code object is gone; `data` is its per-code bytes.
  void forget(CodeData* data);
  // One line for PYHOOKS_VERBOSE=1 at shutdown.
  std::string summary() const;

 private:
  // The stub for a code object's first call; nullptr when the filter leaves
  // it out or no executable memory could be had.
  void* assign(struct _object* code);

  pyhooks_plugin* self_;
  NameFilter filter_;
  TrampolineArena arena_;
  size_t named_ = 0;     // code objects given a stub
  size_t excluded_ = 0;  // left out by the filter
  bool memory_failed_ = false;
};

// The perf-map name of a code object: "py::qualname:filename", as CPython's
// -X perf writes it, newlines replaced so the map stays one line per entry.
std::string perf_name(const char* qualname, const char* filename);

}  // namespace native_names
