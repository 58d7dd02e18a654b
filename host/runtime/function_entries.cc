// host/runtime/function_entries.cc - see function_entries.h.
#include "function_entries.h"

#include <string>
#include <vector>

#include "../compat/compat.h"
#include "chain.h"
#include "code_states.h"
#include "dispatch_context.h"
#include "interpreter_registry.h"
#include "plugin_instance.h"
#include "report.h"
#include "watchers.h"

namespace pyhooks {

namespace {

std::string qualname(PyObject* function) {
  PyObject* name = reinterpret_cast<PyFunctionObject*>(function)->func_qualname;
  const char* text =
      name && PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : nullptr;
  if (text == nullptr) {
    PyErr_Clear();
    return "?";
  }
  return text;
}

}  // namespace

const char* FunctionEntries::unsound(PluginInstance* plugin,
                                     PyObject* code) const {
  const Chain* chain = dispatch_.chain;
  if (chain == nullptr || !plugin->active()) return "inactive";
  CodeStates& states = *dispatch_.code_states;
  CodeState* state = states.get(code);
  auto disabled = [&](PluginInstance* other, uint32_t flag) {
    SlotEntry* entry = state ? states.entry(state, other->index()) : nullptr;
    return entry != nullptr && (entry->flags & flag) != 0;
  };
  for (PluginInstance* observer : chain->observers) {
    if (observer->active() && !disabled(observer, SlotEntry::kObserverDisabled))
      return "observed";
  }
  for (PluginInstance* evaluator : chain->evaluators) {
    if (evaluator == plugin) return nullptr;
    if (evaluator->active() &&
        !disabled(evaluator, SlotEntry::kEvaluatorDisabled))
      return "outer evaluator";
  }
  return "not an evaluator in the chain";
}

pyhooks_status FunctionEntries::set(PluginInstance* plugin, PyObject* function,
                                    const pyhooks_function_entry* entry) {
  if (!phc_has_function_entry()) return PYHOOKS_E_UNSUPPORTED;
  if (plugin == nullptr || function == nullptr || entry == nullptr ||
      entry->struct_size < sizeof(pyhooks_function_entry) ||
      entry->call == nullptr || !PyFunction_Check(function)) {
    return PYHOOKS_E_INVALID;
  }
  PyObject* code = PyFunction_GET_CODE(function);
  if (phc_code_is_generator(code) || unsound(plugin, code) != nullptr) {
    return PYHOOKS_E_INVALID;
  }
  Route route{plugin, entry->call, entry->undone, entry->cookie};
  auto found = routes_.find(function);
  if (found != routes_.end()) {
    if (found->second.plugin != plugin) return PYHOOKS_E_INVALID;
    Route old = found->second;  // set again: the old entry ends
    found->second = route;
    if (old.undone != nullptr) {
      old.undone(plugin->handle(), old.cookie, function, PYHOOKS_ENTRY_CLEARED);
    }
    return PYHOOKS_OK;
  }
  if (phc_function_entry(function) != phc_default_function_entry()) {
    return PYHOOKS_E_INVALID;  // someone else set its vectorcall
  }
  if (!dispatch_.watchers->hold_function_watcher()) {
    PyErr_Clear();
    return PYHOOKS_ERROR;
  }
  routes_.emplace(function, route);
  phc_function_set_entry(function, trampoline);
  return PYHOOKS_OK;
}

pyhooks_status FunctionEntries::clear(PluginInstance* plugin,
                                      PyObject* function) {
  if (!phc_has_function_entry()) return PYHOOKS_E_UNSUPPORTED;
  if (plugin == nullptr || function == nullptr) return PYHOOKS_E_INVALID;
  auto found = routes_.find(function);
  if (found == routes_.end() || found->second.plugin != plugin) {
    return PYHOOKS_E_NOT_FOUND;
  }
  undo(function, PYHOOKS_ENTRY_CLEARED);
  return PYHOOKS_OK;
}

void FunctionEntries::undo(PyObject* function, int32_t reason) {
  auto found = routes_.find(function);
  if (found == routes_.end()) return;
  Route route = found->second;
  routes_.erase(found);
  if (reason != PYHOOKS_ENTRY_DESTROYED) {
    phc_function_set_entry(function, phc_default_function_entry());
  }
  dispatch_.watchers->release_function_watcher();
  if (route.undone != nullptr) {
    phc_saved_error saved{};
    phc_error_save(&saved);
    route.undone(route.plugin->handle(), route.cookie, function, reason);
    std::string exception = take_exception_text();
    if (!exception.empty()) {
      report_error(
          "plugin '" + route.plugin->name() +
          "' raised in its function entry's undone callback: " + exception);
    }
    phc_error_restore(&saved);
  }
}

void FunctionEntries::chain_changed() {
  std::vector<PyObject*> unsound_now;
  for (const auto& [function, route] : routes_) {
    if (unsound(route.plugin, PyFunction_GET_CODE(function)) != nullptr) {
      unsound_now.push_back(function);
    }
  }
  for (PyObject* function : unsound_now) undo(function, PYHOOKS_ENTRY_CHAIN);
}

void FunctionEntries::release_plugin(PluginInstance* plugin) {
  std::vector<PyObject*> owned;
  for (const auto& [function, route] : routes_) {
    if (route.plugin == plugin) owned.push_back(function);
  }
  for (PyObject* function : owned) undo(function, PYHOOKS_ENTRY_SHUTDOWN);
}

void FunctionEntries::function_changed(PyObject* function, int change) {
  if (routes_.find(function) == routes_.end()) return;
  undo(function, change == PHC_CHANGE_DESTROYED ? PYHOOKS_ENTRY_DESTROYED
                                                : PYHOOKS_ENTRY_MODIFIED);
}

void FunctionEntries::shutdown() {
  while (!routes_.empty()) {
    undo(routes_.begin()->first, PYHOOKS_ENTRY_SHUTDOWN);
  }
}

void FunctionEntries::entry_misbehaved(PyObject* function, const Route& route,
                                       pyhooks_status status) {
  std::string problem =
      status == PYHOOKS_HANDLED ? "returned HANDLED without a result"
      : status == PYHOOKS_ERROR
          ? "returned ERROR without setting an exception"
          : "returned the unknown status " + std::to_string(status);
  report_error("plugin '" + route.plugin->name() + "' " + problem +
               " from its function entry for '" + qualname(function) +
               "'; the entry is undone and the function is called as before");
  undo(function, PYHOOKS_ENTRY_FAILED);
}

PyObject* FunctionEntries::trampoline(PyObject* function, PyObject* const* args,
                                      size_t nargsf, PyObject* kwnames) {
  PyThreadState* tstate = phc_current_tstate();
  DispatchContext* dispatch =
      InterpreterRegistry::find(phc_tstate_interp(tstate));
  if (dispatch != nullptr && !phc_tstate_traced(tstate)) {
    FunctionEntries& entries = *dispatch->function_entries;
    auto found = entries.routes_.find(function);
    if (found != entries.routes_.end() && found->second.plugin->active()) {
      Route route = found->second;  // the call may undo it
      PyObject* result = nullptr;
      pyhooks_status status =
          route.call(route.plugin->handle(), route.cookie, function, args,
                     nargsf, kwnames, &result);
      if (status == PYHOOKS_HANDLED && result != nullptr) return result;
      if (status == PYHOOKS_ERROR && phc_error_pending(tstate)) {
        Py_XDECREF(result);
        return nullptr;
      }
      if (status != PYHOOKS_DECLINED) {
        Py_XDECREF(result);
        if (phc_error_pending(tstate)) PyErr_Clear();
        entries.entry_misbehaved(function, route, status);
      }
    }
  }
  return phc_default_function_entry()(function, args, nargsf, kwnames);
}

}  // namespace pyhooks
