// plugins/jit/guards.h - what compiled code assumed about the program, and
// the check at each entry that it still holds.
//
// Every global and builtin a unit reads is guarded by identity: the name
// must still be bound to the same object in the same dict (and, for a
// builtin, still absent from the module's globals, so a shadowing global
// is seen); every module-level function it calls natively must still have
// the code object that was compiled. A failed guard sends the frame to the
// interpreter and drops the compiled code. On 3.11 the check is a lookup
// per name at every entry; on 3.12+ watchers keep it (guard_watch.h) and
// the lookups run only after something guarded changed.
#pragma once

#include <vector>

#include "py_ref.h"

namespace jit {

struct NameGuard {
  Ref dict;         // where the name is looked up
  Ref name;         // a str
  Ref expected;     // what it must be bound to
  Ref absent_from;  // builtins: the globals that must not bind it (or null)
};

struct CodeGuard {
  Ref function;
  Ref code;
};

class Guards {
 public:
  void add_name(NameGuard guard);
  void add_code(PyObject* function, PyObject* code);
  // True if every assumption holds. Never raises (a failed lookup clears
  // its error and fails the guard).
  bool hold() const;
  size_t size() const { return names_.size() + codes_.size(); }
  const std::vector<NameGuard>& names() const { return names_; }
  const std::vector<CodeGuard>& codes() const { return codes_; }

 private:
  std::vector<NameGuard> names_;
  std::vector<CodeGuard> codes_;
};

}  // namespace jit
