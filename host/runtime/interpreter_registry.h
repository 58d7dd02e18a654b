// host/runtime/interpreter_registry.h - which InterpreterHost serves which
// interpreter.
//
// The eval-frame function is one C function for the whole process; it finds
// the calling interpreter's host here (a short lock-free scan, the main
// interpreter first). The registry holds only this mapping; all state lives
// in the hosts. Entries are counted: every `pyhooks._host` module instance in
// an interpreter shares its one host.
#pragma once

#include <Python.h>

namespace pyhooks {

class InterpreterHost;

class InterpreterRegistry {
 public:
  static InterpreterHost* find(PyInterpreterState* interp);
  // The host for the current interpreter, created on first use. nullptr
  // with a Python exception set on failure.
  static InterpreterHost* acquire();
  // Drops one reference; the last one shuts the host down and frees it.
  static void release(PyInterpreterState* interp);
};

}  // namespace pyhooks
