// host/runtime/interpreter_host_chain.cc - the chain rebuild and source
// selection: a new Chain snapshot from the active plugins (chain.h), the
// retired snapshots freed once nothing reads them, on_chain_changed, and
// which event source is installed (docs/internals/event-sources.md).
#include <algorithm>

#include "../compat/compat.h"
#include "chain_build.h"
#include "error_stash.h"
#include "interpreter_host.h"
#include "report.h"

namespace pyhooks {

namespace {

constexpr uint32_t kCCallEvents = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_CALL) |
                                  PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RETURN) |
                                  PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RAISE);

}  // namespace

bool InterpreterHost::set_event_source(EventSourceChoice choice) {
  if (choice == EventSourceChoice::kMonitoring && !phc_has_monitoring()) {
    PyErr_SetString(PyExc_ValueError,
                    "event source 'monitoring' needs CPython 3.12 or newer");
    return false;
  }
  source_choice_ = choice;
  refresh_sources();
  return true;
}

const char* InterpreterHost::event_source_name() const {
  // Where observers' events come from; "none" without observers.
  if (monitoring_source_.active()) return "monitoring";
  if (eval_source_.installed()) return "eval_frame";
  return "none";
}

void InterpreterHost::release_unused_chains() {
  std::vector<const Chain*> in_use;
  monitoring_source_.collect_chains(in_use);
  release_unused(chains_, dispatch_.chain, std::move(in_use));
}

void InterpreterHost::rebuild_chain() {
  // Before the new one: the chain retiring now stays until the next rebuild
  // (notify_chain_changed compares with it).
  release_unused_chains();
  BuiltChain built =
      build_chain(chain_order_, dispatch_.chain, ++last_generation_);
  std::vector<PluginInstance*> free_order(chain_order_.rbegin(),
                                          chain_order_.rend());
  dispatch_.code_states->set_free_order(std::move(free_order));
  const Chain* previous = dispatch_.chain;
  dispatch_.chain = built.chain.get();
  chains_.push_back(std::move(built.chain));
  refresh_sources(built.observer_added);
  // Routes unsound in the new chain end before plugins hear of it, so an
  // evaluator told of the chain can set them again where they still hold.
  function_entries_.chain_changed();
  notify_chain_changed(previous);
}

void InterpreterHost::notify_chain_changed(const Chain* previous) {
  const Chain* chain = dispatch_.chain;
  if (previous != nullptr && previous->plugins == chain->plugins) {
    return;  // the same plugins in the same order: nothing changed for them
  }
  for (PluginInstance* plugin : chain->plugins) {
    auto callback = plugin->descriptor().on_chain_changed;
    if (dispatch_.chain != chain) {
      return;  // a callback changed the chain again; that change notified
    }
    if (callback == nullptr || !plugin->active()) {
      continue;
    }
    ErrorStash stash;
    callback(plugin->handle(), chain->generation);
    std::string exception = take_exception_text();
    if (!exception.empty()) {
      report_error("plugin '" + plugin->name() +
                   "' raised in on_chain_changed: " + exception);
    }
  }
}

// Every evaluator needs the eval-frame hook, except one that runs code only
// through function entries where CPython has them (HOST-28).
bool InterpreterHost::evaluators_need_hook(const Chain& chain) {
  for (const PluginInstance* evaluator : chain.evaluators) {
    if ((evaluator->descriptor().capabilities & PYHOOKS_CAP_ENTRY_EVALUATOR) ==
            0 ||
        !phc_has_function_entry()) {
      return true;
    }
  }
  return false;
}

void InterpreterHost::refresh_sources(bool observers_added) {
  const Chain& chain = *dispatch_.chain;
  bool observers = !chain.observers.empty();
  bool evaluators = evaluators_need_hook(chain);
  EventSourceChoice choice = source_choice_;
  if (choice == EventSourceChoice::kAuto) {
    choice = phc_has_monitoring() ? EventSourceChoice::kMonitoring
                                  : EventSourceChoice::kEvalFrame;
  }
  bool use_monitoring = observers && choice == EventSourceChoice::kMonitoring;
  if (use_monitoring && !monitoring_source_.activate(chain, observers_added)) {
    report_warning(take_exception_text() +
                   "; observing through the eval-frame hook instead");
    use_monitoring = false;
  }
  // C-call events come from sys.monitoring whichever source serves frames.
  bool c_calls = phc_has_monitoring() && (chain.observer_events & kCCallEvents);
  if (!use_monitoring && c_calls &&
      !monitoring_source_.activate(chain, observers_added, /*frames=*/false)) {
    report_warning(take_exception_text() + "; no C-call events this run");
    c_calls = false;
  }
  if (!use_monitoring && !c_calls) {
    // Observers moving to the hook still owe exits to frames entered there.
    monitoring_source_.deactivate(/*drain=*/observers);
  }
  dispatch_.observers_via_hook = !use_monitoring;
  if (evaluators || (observers && !use_monitoring)) {
    eval_source_.install();
  } else {
    eval_source_.uninstall();
  }
}

}  // namespace pyhooks
