// host/runtime/watchers.cc - see watchers.h.
#include "watchers.h"

#include <algorithm>
#include <string>

#include "../compat/compat.h"
#include "dispatch_context.h"
#include "function_entries.h"
#include "interpreter_registry.h"
#include "plugin_instance.h"
#include "report.h"

namespace pyhooks {

namespace {

bool is_of_kind(int32_t kind, PyObject* object) {
  switch (kind) {
    case PYHOOKS_WATCH_DICT:
      return PyDict_Check(object);
    case PYHOOKS_WATCH_FUNCTION:
      return PyFunction_Check(object);
    case PYHOOKS_WATCH_CODE:
      return PyCode_Check(object);
    case PYHOOKS_WATCH_TYPE:
      return PyType_Check(object);
    default:
      return false;
  }
}

const char* kind_name(int index) {
  static const char* const names[] = {"dict", "function", "code", "type"};
  return names[index];
}

}  // namespace

Watchers::~Watchers() { shutdown(); }

bool Watchers::acquire(Kind& kind, int index) {
  if (kind.id >= 0) return true;
  int id = phc_watcher_add(index);
  if (id < 0) {
    report_error("pyhooks: CPython has no " + std::string(kind_name(index)) +
                 " watcher left for this interpreter (" +
                 take_exception_text() +
                 "); another extension took them all; watching fails");
    return false;
  }
  kind.id = id;
  return true;
}

void Watchers::release_if_unused(Kind& kind, int index) {
  if (notifying_ == 0 && kind.id >= 0 && kind.holds == 0 &&
      kind.objects.empty()) {
    phc_watcher_clear(index, kind.id);
    kind.id = -1;
  }
}

pyhooks_status Watchers::watch(PluginInstance* plugin, int32_t kind_index,
                               PyObject* object, pyhooks_watch_fn callback,
                               void* cookie) {
  if (!phc_has_watchers()) return PYHOOKS_E_UNSUPPORTED;
  if (plugin == nullptr || object == nullptr || callback == nullptr ||
      !is_of_kind(kind_index, object)) {
    return PYHOOKS_E_INVALID;
  }
  Kind& kind = kinds_[kind_index];
  if (!acquire(kind, kind_index)) return PYHOOKS_ERROR;
  auto found = kind.objects.find(object);
  if (found == kind.objects.end()) {
    if (phc_watch_object(kind_index, kind.id, object) < 0) {
      PyErr_Clear();
      release_if_unused(kind, kind_index);
      return PYHOOKS_ERROR;
    }
    if (kind_index == PYHOOKS_WATCH_TYPE) {
      Py_INCREF(object);  // types report no destruction: keep it alive
    }
    found = kind.objects.emplace(object, std::vector<Subscription>{}).first;
  }
  for (Subscription& subscription : found->second) {
    if (subscription.plugin == plugin) {  // watching again: replace
      subscription.callback = callback;
      subscription.cookie = cookie;
      return PYHOOKS_OK;
    }
  }
  found->second.push_back({plugin, callback, cookie});
  return PYHOOKS_OK;
}

pyhooks_status Watchers::unwatch(PluginInstance* plugin, int32_t kind_index,
                                 PyObject* object) {
  if (!phc_has_watchers()) return PYHOOKS_E_UNSUPPORTED;
  if (plugin == nullptr || object == nullptr || kind_index < 0 ||
      kind_index >= PYHOOKS_WATCH_KIND_COUNT) {
    return PYHOOKS_E_INVALID;
  }
  Kind& kind = kinds_[kind_index];
  auto found = kind.objects.find(object);
  if (found == kind.objects.end()) return PYHOOKS_E_NOT_FOUND;
  std::vector<Subscription>& subscribers = found->second;
  auto mine = std::find_if(
      subscribers.begin(), subscribers.end(),
      [plugin](const Subscription& s) { return s.plugin == plugin; });
  if (mine == subscribers.end()) return PYHOOKS_E_NOT_FOUND;
  subscribers.erase(mine);
  if (subscribers.empty()) forget(kind, kind_index, object, false);
  return PYHOOKS_OK;
}

void Watchers::forget(Kind& kind, int index, PyObject* object, bool destroyed) {
  kind.objects.erase(object);
  if (!destroyed) phc_unwatch_object(index, kind.id, object);
  if (index == PYHOOKS_WATCH_TYPE) Py_DECREF(object);
  release_if_unused(kind, index);
}

void Watchers::release_plugin(PluginInstance* plugin) {
  for (int index = 0; index < PYHOOKS_WATCH_KIND_COUNT; ++index) {
    Kind& kind = kinds_[index];
    std::vector<PyObject*> emptied;
    for (auto& [object, subscribers] : kind.objects) {
      subscribers.erase(std::remove_if(subscribers.begin(), subscribers.end(),
                                       [plugin](const Subscription& s) {
                                         return s.plugin == plugin;
                                       }),
                        subscribers.end());
      if (subscribers.empty()) emptied.push_back(object);
    }
    for (PyObject* object : emptied) forget(kind, index, object, false);
  }
}

bool Watchers::hold_function_watcher() {
  Kind& kind = kinds_[PYHOOKS_WATCH_FUNCTION];
  if (!acquire(kind, PYHOOKS_WATCH_FUNCTION)) {
    PyErr_SetString(PyExc_RuntimeError, "no function watcher left");
    return false;
  }
  ++kind.holds;
  return true;
}

void Watchers::release_function_watcher() {
  Kind& kind = kinds_[PYHOOKS_WATCH_FUNCTION];
  if (kind.holds > 0) --kind.holds;
  release_if_unused(kind, PYHOOKS_WATCH_FUNCTION);
}

void Watchers::deliver(const Subscription& subscription, int kind, int change,
                       PyObject* object, PyObject* key, PyObject* value) {
  pyhooks_watch_event event = {
      sizeof(event), kind, change, object, key, value, subscription.cookie};
  phc_saved_error saved{};
  phc_error_save(&saved);
  subscription.callback(subscription.plugin->handle(), &event);
  std::string exception = take_exception_text();
  if (!exception.empty()) {
    report_error("plugin '" + subscription.plugin->name() + "' raised in its " +
                 kind_name(kind) + " watcher callback: " + exception);
  }
  phc_error_restore(&saved);
}

void Watchers::notify(int kind_index, int change, PyObject* object,
                      PyObject* key, PyObject* value) {
  if (kind_index < 0 || kind_index >= PYHOOKS_WATCH_KIND_COUNT) return;
  Kind& kind = kinds_[kind_index];
  ++notifying_;
  if (kind_index == PYHOOKS_WATCH_FUNCTION && kind.holds > 0) {
    entries_->function_changed(object, change);
  }
  auto found = kind.objects.find(object);
  if (found != kind.objects.end()) {
    // A copy: a callback may unwatch (itself or others) or watch.
    std::vector<Subscription> subscribers = found->second;
    for (const Subscription& subscription : subscribers) {
      auto now = kind.objects.find(object);
      if (now == kind.objects.end()) break;
      bool still = std::any_of(now->second.begin(), now->second.end(),
                               [&](const Subscription& s) {
                                 return s.plugin == subscription.plugin &&
                                        s.callback == subscription.callback;
                               });
      if (still && subscription.plugin->active()) {
        deliver(subscription, kind_index, change, object, key, value);
      }
    }
    if (change == PHC_CHANGE_DESTROYED &&
        kind.objects.find(object) != kind.objects.end()) {
      forget(kind, kind_index, object, /*destroyed=*/true);
    }
  }
  --notifying_;
  release_if_unused(kind, kind_index);
}

void Watchers::shutdown() {
  for (int index = 0; index < PYHOOKS_WATCH_KIND_COUNT; ++index) {
    Kind& kind = kinds_[index];
    while (!kind.objects.empty()) {
      forget(kind, index, kind.objects.begin()->first, false);
    }
    kind.holds = 0;
    release_if_unused(kind, index);
  }
}

}  // namespace pyhooks

extern "C" void phc_watch_notify(int kind, int change, PyObject* object,
                                 PyObject* key, PyObject* value) {
  PyThreadState* tstate = phc_current_tstate();
  if (tstate == nullptr) return;
  if (pyhooks::DispatchContext* dispatch =
          pyhooks::InterpreterRegistry::find(phc_tstate_interp(tstate))) {
    dispatch->watchers->notify(kind, change, object, key, value);
  }
}
