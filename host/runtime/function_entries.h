// host/runtime/function_entries.h - host-mediated function entries (ABI 1.1
// function_entry_set/clear, plugin ABI policy HOST-25).
//
// An evaluator asks that calls of one Python function go to its native
// entry. The host alone writes the function's vectorcall
// (PyFunction_SetVectorcall, 3.12+), always to the one trampoline below,
// which finds the route, calls the plugin's entry and, when it declines,
// makes the call through CPython's own entry - so a function behaves
// exactly as before for every caller. A route holds only while it is sound
// for the chain (no active observer sees the code, every evaluator outer to
// the plugin has disabled it, the plugin is active); the host re-checks at
// each chain change and undoes what no longer holds, and undoes a route when
// the function's __code__/__defaults__/__kwdefaults__ is set or it dies
// (through the function watcher, watchers.h) and at the plugin's shutdown.
#pragma once

#include <Python.h>
#include <pyhooks/plugin.h>

#include <unordered_map>

namespace pyhooks {

struct DispatchContext;
class PluginInstance;

class FunctionEntries {
 public:
  explicit FunctionEntries(DispatchContext& dispatch) : dispatch_(dispatch) {}
  FunctionEntries(const FunctionEntries&) = delete;
  FunctionEntries& operator=(const FunctionEntries&) = delete;

  // The host functions (GIL held). Statuses as plugin.h documents them.
  pyhooks_status set(PluginInstance* plugin, PyObject* function,
                     const pyhooks_function_entry* entry);
  pyhooks_status clear(PluginInstance* plugin, PyObject* function);

  // The chain changed: undo every route that is no longer sound.
  void chain_changed();
  // The plugin shuts down or leaves: undo its routes (SHUTDOWN).
  void release_plugin(PluginInstance* plugin);
  // From the function watcher (Watchers::notify).
  void function_changed(PyObject* function, int change);
  // The interpreter ends.
  void shutdown();

  size_t size() const { return routes_.size(); }

 private:
  struct Route {
    PluginInstance* plugin;
    pyhooks_entry_call_fn call;
    void (*undone)(pyhooks_plugin* self, void* cookie, PyObject* function,
                   int32_t reason);
    void* cookie;
  };

  // The vectorcall every routed function gets.
  static PyObject* trampoline(PyObject* function, PyObject* const* args,
                              size_t nargsf, PyObject* kwnames);
  // Why `plugin` may not route `code` now (nullptr: it may).
  const char* unsound(PluginInstance* plugin, PyObject* code) const;
  void undo(PyObject* function, int32_t reason);
  void entry_misbehaved(PyObject* function, const Route& route,
                        pyhooks_status status);

  DispatchContext& dispatch_;
  std::unordered_map<PyObject*, Route> routes_;  // borrowed functions
};

}  // namespace pyhooks
