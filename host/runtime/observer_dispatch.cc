// host/runtime/observer_dispatch.cc - the observer onion.
#include "observer_dispatch.h"

#include "code_states.h"
#include "interpreter_host.h"
#include "plugin_instance.h"

namespace pyhooks {

namespace {

SlotEntry* entry_for(const FrameView& view, PluginInstance* plugin) {
  if (view.code_state == nullptr) {
    return nullptr;
  }
  return view.host->code_states().entry(view.code_state, plugin->index());
}

// Runs one callback; returns its status, turning "left an exception set"
// into a failure.
pyhooks_status call_observer(PluginInstance* plugin, pyhooks_event event,
                             FrameView& view) {
  ++plugin->counters().events[event];
  pyhooks_status status =
      plugin->raw().on_event(plugin->handle(), event, &view.pub);
  if (status != PYHOOKS_OK && status != PYHOOKS_DISABLE) {
    return PYHOOKS_ERROR;
  }
  return phc_error_pending(view.tstate) ? PYHOOKS_ERROR : status;
}

// Brackets callbacks delivered from the hook: tracing on (frames they run
// are not events), any exception the frame is raising (a throw() entering,
// an UNWIND leaving) set aside.
class CallbackScope {
 public:
  explicit CallbackScope(const FrameView& view)
      : tstate_(view.in_hook ? view.tstate : nullptr) {
    if (tstate_ == nullptr) {
      return;
    }
    saved_error_ = phc_error_pending(tstate_) != 0;
    if (saved_error_) phc_error_save(&saved_);
    phc_tstate_enter_tracing(tstate_);
  }
  ~CallbackScope() {
    if (tstate_ == nullptr) {
      return;
    }
    phc_tstate_leave_tracing(tstate_);
    if (saved_error_) phc_error_restore(&saved_);
  }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  PyThreadState* tstate_;
  bool saved_error_ = false;
  phc_saved_error saved_{};
};

}  // namespace

EnterDelivery deliver_enter(FrameView& view, pyhooks_event event) {
  const auto& observers = view.chain->observers;
  ObserverMask owed = 0;
  bool interested = false;
  view.entering = true;
  view.starting = event == PYHOOKS_EVENT_START;
  CallbackScope scope(view);
  for (size_t i = 0; i < observers.size(); ++i) {
    PluginInstance* plugin = observers[i];
    if (!plugin->active()) {
      continue;
    }
    SlotEntry* entry = entry_for(view, plugin);
    if (entry != nullptr && (entry->flags & SlotEntry::kObserverDisabled)) {
      continue;
    }
    interested = true;
    if (!plugin->wants(event)) {
      owed |= ObserverMask{1} << i;
      continue;
    }
    switch (call_observer(plugin, event, view)) {
      case PYHOOKS_OK:
        owed |= ObserverMask{1} << i;
        break;
      case PYHOOKS_DISABLE:
        if (entry != nullptr) entry->flags |= SlotEntry::kObserverDisabled;
        break;
      default:
        view.host->plugin_failed(*plugin, "on_event", event, &view);
        break;
    }
  }
  return {owed, !interested};
}

void deliver_exit(FrameView& view, pyhooks_event event, ObserverMask owed) {
  const auto& observers = view.chain->observers;
  view.entering = false;
  view.starting = false;
  CallbackScope scope(view);
  for (size_t i = observers.size(); i-- > 0;) {
    PluginInstance* plugin = observers[i];
    if (!(owed & (ObserverMask{1} << i)) || !plugin->active() ||
        !plugin->wants(event)) {
      continue;
    }
    switch (call_observer(plugin, event, view)) {
      case PYHOOKS_OK:
        break;
      case PYHOOKS_DISABLE:
        if (SlotEntry* entry = entry_for(view, plugin)) {
          entry->flags |= SlotEntry::kObserverDisabled;
        }
        break;
      default:
        view.host->plugin_failed(*plugin, "on_event", event, &view);
        break;
    }
  }
}

bool all_observers_disabled(const FrameView& view) {
  if (view.code_state == nullptr) {
    return false;
  }
  for (PluginInstance* plugin : view.chain->observers) {
    if (!plugin->active()) {
      continue;
    }
    SlotEntry* entry = entry_for(view, plugin);
    if (entry == nullptr || !(entry->flags & SlotEntry::kObserverDisabled)) {
      return false;
    }
  }
  return true;
}

}  // namespace pyhooks
