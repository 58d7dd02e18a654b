// host/runtime/interpreter_host_describe.cc - what `pyhooks check`,
// `pyhooks.describe()` and the counters show: the chain in order, plugins
// that left it, and per-plugin event counts.
#include <algorithm>
#include <cstring>

#include "event_names.h"
#include "interpreter_host.h"

namespace pyhooks {

Ref<> InterpreterHost::describe_chain() const {
  // The chain first, in order; then plugins that left it (failed, declined,
  // unloaded), in the order they were loaded.
  std::vector<const PluginInstance*> listed(chain_order_.begin(),
                                            chain_order_.end());
  for (const auto& owned : plugins_) {
    if (std::find(listed.begin(), listed.end(), owned.get()) == listed.end()) {
      listed.push_back(owned.get());
    }
  }
  Ref<> list = Ref<>::steal(PyList_New(0));
  int position = 0;
  for (const PluginInstance* listed_plugin : listed) {
    const PluginInstance& plugin = *listed_plugin;
    bool in_chain = position < static_cast<int>(chain_order_.size());
    Ref<> roles = Ref<>::steal(PyList_New(0));
    if (!roles) {
      return Ref<>();
    }
    for (const char* role : {"observer", "evaluator"}) {
      bool has = std::strcmp(role, "observer") == 0
                     ? plugin.descriptor().is_observer()
                     : plugin.descriptor().is_evaluator();
      if (!has) {
        continue;
      }
      Ref<> text = Ref<>::steal(PyUnicode_FromString(role));
      if (!text || PyList_Append(roles.get(), text.get()) < 0) {
        return Ref<>();
      }
    }
    Ref<> slot = in_chain ? Ref<>::steal(PyLong_FromLong(++position))
                          : Ref<>::create(Py_None);
    Ref<> entry = Ref<>::steal(Py_BuildValue(
        "{s:s,s:s,s:O,s:i,s:O,s:s,s:s,s:s}", "name", plugin.name().c_str(),
        "version", plugin.descriptor().version.c_str(), "roles", roles.get(),
        "priority", plugin.priority(), "position", slot.get(), "state",
        state_name(plugin.state()), "library", plugin.library_path().c_str(),
        "failure", plugin.failure().c_str()));
    if (!list || !roles || !slot || !entry ||
        PyList_Append(list.get(), entry.get()) < 0) {
      return Ref<>();
    }
  }
  return list;
}

Ref<> InterpreterHost::describe_counters() const {
  Ref<> plugins = Ref<>::steal(PyDict_New());
  if (!plugins) {
    return plugins;
  }
  for (const auto& owned : plugins_) {
    const PluginCounters& counters = owned->counters();
    Ref<> events = Ref<>::steal(PyDict_New());
    if (!events) {
      return Ref<>();
    }
    for (int event = 0; event < PYHOOKS_EVENT_COUNT; ++event) {
      Ref<> count =
          Ref<>::steal(PyLong_FromUnsignedLongLong(counters.events[event]));
      if (!count || PyDict_SetItemString(events.get(), kEventNames[event],
                                         count.get()) < 0) {
        return Ref<>();
      }
    }
    Ref<> entry = Ref<>::steal(Py_BuildValue(
        "{s:O,s:K,s:K,s:K}", "events", events.get(), "offered",
        static_cast<unsigned long long>(counters.offered), "handled",
        static_cast<unsigned long long>(counters.handled), "errors",
        static_cast<unsigned long long>(counters.errors)));
    if (!entry || PyDict_SetItemString(plugins.get(), owned->name().c_str(),
                                       entry.get()) < 0) {
      return Ref<>();
    }
  }
  return Ref<>::steal(Py_BuildValue(
      "{s:s,s:O,s:K,s:K,s:n,s:O}", "event_source", event_source_name(),
      "hook_installed", eval_source_.installed() ? Py_True : Py_False, "frames",
      static_cast<unsigned long long>(eval_source_.frames()),
      "monitoring_events",
      static_cast<unsigned long long>(monitoring_source_.events()),
      "chain_snapshots", static_cast<Py_ssize_t>(chains_.size()), "plugins",
      plugins.get()));
}

}  // namespace pyhooks
