// host/runtime/error_stash.h - the exception being raised, set aside for a
// scope.
//
// Host code that runs Python (writing a warning, asking threading for a
// name) or calls a plugin (shutdown, code_free, on_chain_changed) while an
// exception may be propagating takes it out of the thread first and puts it
// back when the scope ends, so that neither side sees or clobbers the other's
// error. When the scope ends the thread's exception is again exactly what it
// was when the scope began: whatever was raised inside and left set is
// dropped (report it before the scope ends if it matters).
#pragma once

#include <Python.h>

#include "../compat/compat.h"

namespace pyhooks {

class ErrorStash {
 public:
  // Stashes the current thread's exception, if any.
  ErrorStash() : ErrorStash(phc_current_tstate()) {}
  // The same for a known thread state (nullptr: no thread, nothing to do);
  // costs two loads when nothing is being raised.
  explicit ErrorStash(PyThreadState* tstate)
      : tstate_(tstate),
        stashed_(tstate != nullptr && phc_error_pending(tstate) != 0) {
    if (stashed_) phc_error_save(&saved_);
  }
  ~ErrorStash() {
    if (stashed_) {
      phc_error_restore(&saved_);  // replaces anything raised since
    } else if (tstate_ != nullptr && phc_error_pending(tstate_)) {
      PyErr_Clear();
    }
  }
  ErrorStash(const ErrorStash&) = delete;
  ErrorStash& operator=(const ErrorStash&) = delete;

 private:
  PyThreadState* tstate_;
  bool stashed_;
  phc_saved_error saved_{};
};

}  // namespace pyhooks
