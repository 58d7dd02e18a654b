// host/runtime/interpreter_registry.h - which InterpreterHost serves which
// interpreter.
//
// The eval-frame function is one C function for the whole process; it finds
// the calling interpreter's host here (a short lock-free scan, the main
// interpreter first). The registry holds only this mapping; all state lives
// in the hosts. The table holds each host's DispatchContext, which is what
// the sources look up per event; the context names its host. Entries are
// counted: every `pyhooks._host` module instance in an interpreter shares its
// one host.
#pragma once

#include <Python.h>

#include <atomic>

namespace pyhooks {

class InterpreterHost;
struct DispatchContext;

class InterpreterRegistry {
 public:
  // Inline for the hook, which asks on every frame: the first interpreter
  // to use pyhooks (nearly always the main one, often the only one) is
  // answered from a cached pair without scanning the table.
  static DispatchContext* find(PyInterpreterState* interp) {
    if (first_interp_.load(std::memory_order_acquire) == interp) {
      return first_dispatch_.load(std::memory_order_acquire);
    }
    return find_in_table(interp);
  }
  // The host for the current interpreter, created on first use. nullptr
  // with a Python exception set on failure.
  static InterpreterHost* acquire();
  // Drops one reference; the last one shuts the host down and frees it.
  static void release(PyInterpreterState* interp);

 private:
  static DispatchContext* find_in_table(PyInterpreterState* interp);
  // Mirror of table slot 0 (written under the registry's mutex).
  static std::atomic<PyInterpreterState*> first_interp_;
  static std::atomic<DispatchContext*> first_dispatch_;
};

}  // namespace pyhooks
