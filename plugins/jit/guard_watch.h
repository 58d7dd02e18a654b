// plugins/jit/guard_watch.h - 3.12+: the guards of guards.h kept by the
// host's dict and function watchers (HOST-24) instead of a lookup per name
// at every entry.
//
// Every dict a guard reads a name from (globals, builtins, a module's
// __dict__) and every globals dict a builtin must stay absent from is
// watched, with the names guarded in it; every function called natively is
// watched for a new __code__. A change touching a guarded name (or
// clearing, replacing or freeing the dict, or setting a watched function's
// __code__) starts a new epoch; compiled code whose guards were last found
// holding in an older epoch checks them by lookups once more, and is
// dropped if they fail. So a compiled call does no dict lookup while
// nothing it depends on changes. 3.11 has no watchers (watch answers
// E_UNSUPPORTED): there the guards are looked up at every entry.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <vector>

#include "guards.h"

namespace jit {

class GuardWatch {
 public:
  explicit GuardWatch(pyhooks_plugin* self) : self_(self) {}
  // Subscribes everything `guards` reads; false if the host cannot (3.11,
  // no watcher id left): then those guards are checked at every entry.
  bool watch(const Guards& guards);
  uint64_t epoch() const { return epoch_; }

 private:
  struct WatchedDict {
    PyObject* dict;  // borrowed: its DESTROYED event removes it
    std::vector<Ref> names;
  };
  static void changed(pyhooks_plugin* self, const pyhooks_watch_event* event);
  void on_change(const pyhooks_watch_event& event);
  bool watch_name(PyObject* dict, PyObject* name);
  bool guarded(const WatchedDict& watched, PyObject* key) const;

  pyhooks_plugin* self_;
  std::vector<WatchedDict> dicts_;
  uint64_t epoch_ = 1;
};

}  // namespace jit
