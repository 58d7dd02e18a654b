// plugins/jit/guard_watch.cc - guards kept by watchers (guard_watch.h).
#include "guard_watch.h"

namespace jit {

void GuardWatch::changed(pyhooks_plugin*, const pyhooks_watch_event* event) {
  static_cast<GuardWatch*>(event->cookie)->on_change(*event);
}

bool GuardWatch::watch(const Guards& guards) {
  for (const NameGuard& guard : guards.names()) {
    if (!watch_name(guard.dict.get(), guard.name.get())) return false;
    if (guard.absent_from &&
        !watch_name(guard.absent_from.get(), guard.name.get())) {
      return false;
    }
  }
  for (const CodeGuard& guard : guards.codes()) {
    if (self_->api->watch(self_, PYHOOKS_WATCH_FUNCTION, guard.function.get(),
                          &changed, this) != PYHOOKS_OK) {
      return false;
    }
  }
  return true;
}

bool GuardWatch::watch_name(PyObject* dict, PyObject* name) {
  for (WatchedDict& watched : dicts_) {
    if (watched.dict != dict) continue;
    if (!guarded(watched, name)) watched.names.push_back(Ref::borrow(name));
    return true;
  }
  if (self_->api->watch(self_, PYHOOKS_WATCH_DICT, dict, &changed, this) !=
      PYHOOKS_OK) {
    return false;
  }
  dicts_.push_back({dict, {Ref::borrow(name)}});
  return true;
}

bool GuardWatch::guarded(const WatchedDict& watched, PyObject* key) const {
  if (key == nullptr || !PyUnicode_CheckExact(key)) return false;
  for (const Ref& name : watched.names) {
    if (name.get() == key || PyUnicode_Compare(name.get(), key) == 0) {
      return true;
    }
  }
  return false;
}

void GuardWatch::on_change(const pyhooks_watch_event& event) {
  if (event.kind == PYHOOKS_WATCH_FUNCTION) {
    if (event.change == PYHOOKS_CHANGE_FUNCTION_CODE ||
        event.change == PYHOOKS_CHANGE_DESTROYED) {
      ++epoch_;
    }
    return;
  }
  for (size_t i = 0; i < dicts_.size(); ++i) {
    if (dicts_[i].dict != event.object) continue;
    switch (event.change) {
      case PYHOOKS_CHANGE_DICT_ADDED:
      case PYHOOKS_CHANGE_DICT_MODIFIED:
      case PYHOOKS_CHANGE_DICT_DELETED:
        if (guarded(dicts_[i], event.key)) ++epoch_;
        return;
      case PYHOOKS_CHANGE_DESTROYED:
        dicts_.erase(dicts_.begin() + static_cast<std::ptrdiff_t>(i));
        ++epoch_;
        return;
      default:  // cleared, cloned: anything may be gone
        ++epoch_;
        return;
    }
  }
}

}  // namespace jit
