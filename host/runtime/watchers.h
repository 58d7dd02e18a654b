// host/runtime/watchers.h - CPython's dict, function, code and type watchers,
// multiplexed over the plugins of one interpreter (ABI 1.1 watch/unwatch,
// plugin ABI policy HOST-24).
//
// CPython has a few watcher ids per kind per interpreter (8 dict, 8 type, 8
// function, 8 code on 3.12; 3.13 reserves some for itself). The host takes
// at most one per kind, the first time something needs that kind, and gives
// it back as soon as nothing does (a function or code watcher is called for
// every function or code object the interpreter frees, so an idle one would
// cost something). Each watched object maps to its subscribers; the host's
// own function entries (function_entries.h) hold the function watcher too,
// to learn when a routed function is modified or freed.
#pragma once

#include <Python.h>
#include <pyhooks/plugin.h>

#include <cstddef>
#include <unordered_map>
#include <vector>

namespace pyhooks {

class FunctionEntries;
class PluginInstance;

class Watchers {
 public:
  explicit Watchers(FunctionEntries* entries) : entries_(entries) {}
  ~Watchers();
  Watchers(const Watchers&) = delete;
  Watchers& operator=(const Watchers&) = delete;

  // The host functions (GIL held). Statuses as plugin.h documents them.
  pyhooks_status watch(PluginInstance* plugin, int32_t kind, PyObject* object,
                       pyhooks_watch_fn callback, void* cookie);
  pyhooks_status unwatch(PluginInstance* plugin, int32_t kind,
                         PyObject* object);
  // Ends every subscription of a plugin that shuts down or leaves.
  void release_plugin(PluginInstance* plugin);

  // The host's own use of the function watcher, while routes exist. false
  // (with a Python exception set) if CPython has no function watcher left.
  bool hold_function_watcher();
  void release_function_watcher();

  // From CPython's callback (phc_watch_notify), in this interpreter.
  void notify(int kind, int change, PyObject* object, PyObject* key,
              PyObject* value);

  // The interpreter ends: every subscription and watcher id is released.
  void shutdown();

 private:
  struct Subscription {
    PluginInstance* plugin;
    pyhooks_watch_fn callback;
    void* cookie;
  };
  struct Kind {
    int id = -1;       // CPython's watcher id, -1 while not registered
    size_t holds = 0;  // the host's own users (function entries)
    std::unordered_map<PyObject*, std::vector<Subscription>> objects;
  };

  bool acquire(Kind& kind, int index);
  // Gives the id back when nothing needs it (never during a notification:
  // CPython is iterating its watchers then).
  void release_if_unused(Kind& kind, int index);
  void forget(Kind& kind, int index, PyObject* object, bool destroyed);
  void deliver(const Subscription& subscription, int kind, int change,
               PyObject* object, PyObject* key, PyObject* value);

  FunctionEntries* entries_;
  Kind kinds_[PYHOOKS_WATCH_KIND_COUNT];
  int notifying_ = 0;
};

}  // namespace pyhooks
