// host/runtime/interpreter_host.cc - plugin lifecycle, chain, sources.
#include "interpreter_host.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "../compat/compat.h"
#include "../loader/chain_order.h"
#include "../loader/plugin_search.h"
#include "error_stash.h"
#include "frame_view.h"
#include "observer_dispatch.h"
#include "perf_map.h"
#include "python_options.h"
#include "report.h"

#ifndef PYHOOKS_SOABI
#error "the build defines PYHOOKS_SOABI (sysconfig SOABI of the interpreter)"
#endif

namespace pyhooks {

namespace {

constexpr uint32_t kCCallEvents = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_CALL) |
                                  PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RETURN) |
                                  PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RAISE);

const char* const kEventNames[PYHOOKS_EVENT_COUNT] = {
    "start",  "resume", "return",   "yield",
    "unwind", "c_call", "c_return", "c_raise"};

EventSourceChoice choice_from_environment() {
  const char* value = std::getenv("PYHOOKS_EVENT_SOURCE");
  if (value == nullptr || std::strcmp(value, "auto") == 0 || *value == '\0') {
    return EventSourceChoice::kAuto;
  }
  if (std::strcmp(value, "eval_frame") == 0) {
    return EventSourceChoice::kEvalFrame;
  }
  if (std::strcmp(value, "monitoring") == 0 && phc_has_monitoring()) {
    return EventSourceChoice::kMonitoring;
  }
  report_warning(std::string("PYHOOKS_EVENT_SOURCE=") + value +
                 " is not one of auto, eval_frame, monitoring (3.12+); "
                 "using auto");
  return EventSourceChoice::kAuto;
}

void set_error(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
}

struct StrictFailure {
  Ref<> type;
  std::string message;
};

int raise_pending_failure(void* arg) {
  auto* failure = static_cast<StrictFailure*>(arg);
  PyErr_SetString(failure->type.get(), failure->message.c_str());
  delete failure;
  return -1;
}

}  // namespace

std::unique_ptr<InterpreterHost> InterpreterHost::create(
    PyInterpreterState* interp, bool is_main) {
  CodeStates* code_states = CodeStates::create(!is_main);
  if (code_states == nullptr) {
    return nullptr;
  }
  return std::unique_ptr<InterpreterHost>(
      new InterpreterHost(interp, is_main, code_states));
}

InterpreterHost::InterpreterHost(PyInterpreterState* interp, bool is_main,
                                 CodeStates* code_states)
    : interp_(interp),
      is_main_(is_main),
      code_states_(code_states),
      eval_source_(*this),
      monitoring_source_(*this),
      watchers_(&function_entries_),
      function_entries_(this),
      source_choice_(choice_from_environment()) {
  rebuild_chain();
}

InterpreterHost::~InterpreterHost() {
  shutdown();
  code_states_->detach();
}

std::vector<std::string> InterpreterHost::search_dirs(
    const std::vector<std::string>& plugin_path) const {
  static const int anchor = 0;
  return plugin_search_dirs(plugin_path, installed_plugin_dir(&anchor));
}

PluginInstance* InterpreterHost::find_active(const std::string& name) const {
  for (PluginInstance* plugin : chain_order_) {
    if (plugin->name() == name) {
      return plugin;
    }
  }
  return nullptr;
}

bool InterpreterHost::configure(std::vector<LoadRequest> requests,
                                std::optional<std::vector<std::string>> order,
                                const std::vector<std::string>& plugin_path,
                                PyObject* error_type) {
  HostFacts facts;
  facts.python_version_hex = static_cast<uint32_t>(Py_Version);
  facts.python_build_tag = PYHOOKS_SOABI;
  std::vector<std::string> dirs = search_dirs(plugin_path);

  struct Pending {
    FoundPlugin found;
    PluginDescriptor descriptor;  // found's, renamed by instance_name
    LoadRequest request;
    PluginOptions options;
  };
  std::vector<Pending> pending;
  for (LoadRequest& request : requests) {
    auto found = find_plugin(request.target, request.plugin_name, dirs, facts);
    if (!found) {
      if (request.required) {
        set_error(error_type, found.error());
        return false;
      }
      report_warning(found.error() + "; continuing without it");
      continue;
    }
    PluginDescriptor descriptor = found->descriptor();
    if (!request.instance_name.empty()) {
      descriptor.name = request.instance_name;
    }
    if (!is_main_ &&
        !(descriptor.capabilities & PYHOOKS_CAP_SUBINTERPRETER_SAFE)) {
      // Not a warning: a line on the program's stderr in every
      // subinterpreter changes what the program prints (CPython's
      // test_interpreters compares it). PYHOOKS_VERBOSE=1 shows it.
      report_info("plugin '" + descriptor.name +
                  "' is not marked subinterpreter-safe; it stays inactive "
                  "in this subinterpreter");
      continue;
    }
    if (find_active(descriptor.name) != nullptr) {
      report_warning("plugin '" + descriptor.name +
                     "' is already active; the new selection is ignored");
      continue;
    }
    auto options = options_from_python(descriptor, request.options.get());
    if (!options) {
      set_error(PyExc_ValueError, options.error());
      return false;
    }
    pending.push_back({std::move(found.value()), std::move(descriptor),
                       std::move(request), std::move(options.value())});
  }

  // Order the active plugins and the new ones together.
  std::vector<ChainCandidate> candidates;
  for (PluginInstance* plugin : chain_order_) {
    candidates.push_back({plugin->name(), plugin->priority(),
                          plugin->priority_configured(),
                          (plugin->descriptor().capabilities &
                           PYHOOKS_CAP_EXCLUSIVE_EVALUATOR) != 0});
  }
  size_t first_new = candidates.size();
  for (const Pending& item : pending) {
    const PluginDescriptor& descriptor = item.descriptor;
    candidates.push_back(
        {descriptor.name,
         item.request.priority.value_or(descriptor.default_priority),
         item.request.priority.has_value(),
         (descriptor.capabilities & PYHOOKS_CAP_EXCLUSIVE_EVALUATOR) != 0});
  }
  // An order given with this batch is checked strictly. A later load keeps
  // the stored order for the names still selected and takes the "*" slot,
  // so that an explicitly loaded plugin is never left inactive.
  std::optional<std::vector<std::string>> effective = order;
  if (order) {
    order_ = std::move(order);
  } else if (order_) {
    effective.emplace();
    for (const std::string& name : *order_) {
      bool selected = name == "*";
      for (const ChainCandidate& candidate : candidates) {
        selected = selected || candidate.name == name;
      }
      if (selected) effective->push_back(name);
    }
    if (std::find(effective->begin(), effective->end(), "*") ==
        effective->end()) {
      effective->push_back("*");
    }
  }
  auto plan = plan_chain(candidates, effective);
  if (!plan) {
    set_error(PyExc_ValueError, plan.error());
    return false;
  }
  for (const std::string& warning : plan->warnings) {
    report_warning(warning);
  }
  for (const ChainPlan::Refusal& refusal : plan->refused) {
    if (refusal.candidate >= first_new &&
        pending[refusal.candidate - first_new].request.required) {
      set_error(error_type, refusal.message);
      return false;
    }
    report_warning(refusal.message);
  }

  // The cap (chain.h: owed exits are a 64-bit mask) is checked before any
  // new plugin's init runs, so that a refused batch starts nothing.
  if (plan->chain.size() > kMaxObservers) {
    set_error(error_type, "at most 64 plugins may be active at once (" +
                              std::to_string(plan->chain.size()) +
                              " requested); unload some first");
    return false;
  }
  // Instantiate and initialize the new plugins in chain order.
  std::vector<PluginInstance*> new_order;
  std::vector<PluginInstance*> started;
  for (const ChainPlan::Entry& entry : plan->chain) {
    if (entry.candidate < first_new) {
      new_order.push_back(chain_order_[entry.candidate]);
      continue;
    }
    Pending& item = pending[entry.candidate - first_new];
    const ChainCandidate& candidate = candidates[entry.candidate];
    auto index = static_cast<uint32_t>(plugins_.size());
    plugins_.push_back(std::make_unique<PluginInstance>(
        this, index, item.descriptor, item.found.library.path,
        candidate.priority, candidate.priority_configured,
        std::move(item.options)));
    PluginInstance* plugin = plugins_.back().get();
    code_states_->add_plugin(plugin, plugin->descriptor().code_data_size);
    if (init_plugin(*plugin, /*report_failure=*/!item.request.required)) {
      new_order.push_back(plugin);
      started.push_back(plugin);
    } else if (plugin->state() == PluginState::kFailed &&
               item.request.required) {
      for (auto it = started.rbegin(); it != started.rend(); ++it) {
        shutdown_plugin(**it);
      }
      set_error(error_type, plugin->failure());
      return false;
    }
  }
  chain_order_ = std::move(new_order);
  rebuild_chain();
  return true;
}

bool InterpreterHost::init_plugin(PluginInstance& plugin, bool report_failure) {
  auto init = plugin.raw().init;
  phc_eval_fn slot_before = phc_get_eval_frame(interp_);
  plugin.set_capturing_errors(true);
  pyhooks_status status = init ? init(plugin.handle()) : PYHOOKS_OK;
  plugin.set_capturing_errors(false);
  std::string exception = take_exception_text();
  std::string logged;
  for (const std::string& line : plugin.captured_errors()) {
    logged += (logged.empty() ? "" : "; ") + line;
  }
  plugin.captured_errors().clear();
  if (phc_get_eval_frame(interp_) != slot_before) {
    // PLUGIN-12: the slot is the host's. The plugin's evaluator is treated
    // like any foreign tool's (chained, never clobbered).
    report_warning("plugin '" + plugin.name() +
                   "' set the eval-frame function itself during init; "
                   "plugins must leave the slot to pyhooks (evaluate and "
                   "eval_next do the same job); chaining to it");
  }
  bool succeeded =
      exception.empty() && (status == PYHOOKS_OK || status == PYHOOKS_DECLINED);
  if (succeeded && !logged.empty()) {
    report_error("plugin '" + plugin.name() + "': " + logged);
  }
  if (status == PYHOOKS_OK && exception.empty()) {
    plugin.set_state(PluginState::kActive);
    plugin.set_initialized(true);
    return true;
  }
  if (status == PYHOOKS_DECLINED && exception.empty()) {
    plugin.set_state(PluginState::kDeclined);
    report_info("plugin '" + plugin.name() +
                "' declined to activate in this interpreter");
    return false;
  }
  std::string reason = !exception.empty() ? exception : logged;
  plugin.set_state(PluginState::kFailed);
  plugin.set_failure(
      "plugin '" + plugin.name() + "' (" + plugin.library_path() +
      ") failed to initialize" +
      (reason.empty() ? std::string(" (its init returned an error)")
                      : ": " + reason) +
      "; check its options, or leave it out of the configuration");
  ++plugin.counters().errors;
  if (report_failure) {  // not required: the program runs without it
    report_warning(plugin.failure() +
                   "; running without it (required = false)");
  }
  return false;
}

void InterpreterHost::shutdown_plugin(PluginInstance& plugin) {
  if (!plugin.initialized()) {
    return;
  }
  // shutdown first, while the plugin's per-code data is still there to read
  // (a profiler writes its results from it); then code_free for every code
  // object still alive that it touched. Its function entries and watcher
  // subscriptions end first, while it can still release what they hold.
  function_entries_.release_plugin(&plugin);
  watchers_.release_plugin(&plugin);
  if (auto shutdown = plugin.raw().shutdown) {
    ErrorStash stash;
    shutdown(plugin.handle());
    std::string exception = take_exception_text();
    if (!exception.empty()) {
      report_error("plugin '" + plugin.name() +
                   "' raised during shutdown: " + exception);
    }
  }
  code_states_->release_plugin(&plugin);
  plugin.set_initialized(false);
  plugin.set_state(PluginState::kShutDown);
}

bool InterpreterHost::unload(const std::string& name, PyObject* error_type) {
  PluginInstance* plugin = find_active(name);
  if (plugin == nullptr) {
    set_error(error_type, "no plugin named '" + name + "' is loaded");
    return false;
  }
  shutdown_plugin(*plugin);
  chain_order_.erase(
      std::find(chain_order_.begin(), chain_order_.end(), plugin));
  rebuild_chain();
  return true;
}

bool InterpreterHost::set_disabled(const std::string& name, bool disabled,
                                   PyObject* error_type) {
  PluginInstance* plugin = find_active(name);
  if (plugin == nullptr) {
    set_error(error_type, "no plugin named '" + name + "' is loaded");
    return false;
  }
  PluginState state = plugin->state();
  if (disabled && state == PluginState::kActive) {
    plugin->set_state(PluginState::kDisabled);
  } else if (!disabled && state == PluginState::kDisabled) {
    plugin->set_state(PluginState::kActive);
  } else if (!disabled && state != PluginState::kActive) {
    set_error(error_type, "plugin '" + name + "' cannot be enabled: it is " +
                              state_name(state));
    return false;
  }
  rebuild_chain();
  return true;
}

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
  std::sort(in_use.begin(), in_use.end());
  chains_.erase(
      std::remove_if(chains_.begin(), chains_.end(),
                     [&](const std::unique_ptr<Chain>& chain) {
                       return chain.get() != chain_ && chain->uses == 0 &&
                              !std::binary_search(in_use.begin(), in_use.end(),
                                                  chain.get());
                     }),
      chains_.end());
}

void InterpreterHost::rebuild_chain() {
  // Before the new one: the chain retiring now stays until the next rebuild
  // (notify_chain_changed compares with it).
  release_unused_chains();
  auto chain = std::make_unique<Chain>();
  chain->generation = ++last_generation_;
  bool observer_added = false;
  for (PluginInstance* plugin : chain_order_) {
    if (!plugin->active()) {
      continue;
    }
    chain->plugins.push_back(plugin);
    if (plugin->descriptor().is_observer()) {
      chain->observers.push_back(plugin);
      chain->observer_events |= plugin->descriptor().events;
      if (chain_ == nullptr ||
          std::find(chain_->observers.begin(), chain_->observers.end(),
                    plugin) == chain_->observers.end()) {
        observer_added = true;
      }
    }
    if (plugin->descriptor().is_evaluator()) {
      chain->evaluators.push_back(plugin);
    }
  }
  link_observers(*chain);
  std::vector<PluginInstance*> free_order(chain_order_.rbegin(),
                                          chain_order_.rend());
  code_states_->set_free_order(std::move(free_order));
  const Chain* previous = chain_;
  chain_ = chain.get();
  chains_.push_back(std::move(chain));
  refresh_sources(observer_added);
  // Routes unsound in the new chain end before plugins hear of it, so an
  // evaluator told of the chain can set them again where they still hold.
  function_entries_.chain_changed();
  notify_chain_changed(previous);
}

void InterpreterHost::notify_chain_changed(const Chain* previous) {
  const Chain* chain = chain_;
  if (previous != nullptr && previous->plugins == chain->plugins) {
    return;  // the same plugins in the same order: nothing changed for them
  }
  for (PluginInstance* plugin : chain->plugins) {
    auto callback = plugin->descriptor().on_chain_changed;
    if (chain_ != chain) {
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
  const Chain& chain = *chain_;
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
  observers_via_hook_ = !use_monitoring;
  if (evaluators || (observers && !use_monitoring)) {
    eval_source_.install();
  } else {
    eval_source_.uninstall();
  }
}

std::string InterpreterHost::frame_context(const FrameView* view) const {
  if (view == nullptr || view->pub.code == nullptr) {
    return {};
  }
  auto* code = reinterpret_cast<PyCodeObject*>(view->pub.code);
  return " of '" + text_of(code->co_qualname) + "' (" +
         text_of(code->co_filename) + ":" +
         std::to_string(code->co_firstlineno) + ")";
}

void InterpreterHost::raise_strict_failure(const std::string& message) {
  if (!strict_ || !is_main_) {
    return;
  }
  PyObject* type = PyExc_RuntimeError;
  PyObject* module = PyImport_GetModule(
      Ref<>::steal(PyUnicode_FromString("pyhooks._host")).get());
  Ref<> owner = Ref<>::steal(module);
  if (owner) {
    PyObject* error = PyObject_GetAttrString(owner.get(), "PluginError");
    if (error != nullptr) {
      type = error;
      Py_DECREF(error);  // the module keeps it alive
    } else {
      PyErr_Clear();
    }
  } else {
    PyErr_Clear();
  }
  auto* failure =
      new StrictFailure{Ref<>::create(type), message + " (strict mode)"};
  if (Py_AddPendingCall(raise_pending_failure, failure) != 0) {
    delete failure;
  }
}

void InterpreterHost::deactivate_failed(PluginInstance& plugin,
                                        const std::string& message) {
  ++plugin.counters().errors;
  plugin.set_state(PluginState::kFailed);
  plugin.set_failure(message);
  report_error(message);
  rebuild_chain();  // frames in flight finish against their own snapshot
  raise_strict_failure(message);
}

void InterpreterHost::plugin_failed(PluginInstance& plugin,
                                    const char* callback, int32_t event,
                                    const FrameView* view) {
  std::string exception = take_exception_text();
  std::string where = callback;
  if (event >= 0 && event < PYHOOKS_EVENT_COUNT) {
    where += std::string("(") + kEventNames[event] + ")";
  }
  std::string message =
      "plugin '" + plugin.name() + "' failed in " + where +
      frame_context(view) + ": " +
      (exception.empty() ? std::string("it returned an error") : exception) +
      "; it is disabled for the rest of this run";
  deactivate_failed(plugin, message);
}

void InterpreterHost::evaluator_misbehaved(PluginInstance& plugin,
                                           int32_t status, bool raised,
                                           const FrameView& view) {
  std::string problem;
  std::string exception = raised && !view.consumed ? take_exception_text() : "";
  if (!exception.empty() && status != PYHOOKS_ERROR) {
    problem = "left an exception set (" + exception + ") with its answer";
  } else if (status == PYHOOKS_HANDLED) {
    problem = "returned HANDLED without a result";
  } else if (status == PYHOOKS_ERROR) {
    problem = "returned ERROR without setting an exception";
  } else if (status == PYHOOKS_DECLINED || status == PYHOOKS_DISABLE) {
    problem = "declined a frame after running it with eval_next";
  } else {
    problem = "returned the unknown status " + std::to_string(status);
  }
  deactivate_failed(plugin, "plugin '" + plugin.name() + "' " + problem +
                                " in evaluate" + frame_context(&view) +
                                "; it is disabled for the rest of this run");
}

void InterpreterHost::shutdown() {
  if (shut_down_) {
    return;
  }
  shut_down_ = true;
  for (auto it = chain_order_.rbegin(); it != chain_order_.rend(); ++it) {
    shutdown_plugin(**it);
  }
  chain_order_.clear();
  order_.reset();
  rebuild_chain();
  function_entries_.shutdown();
  watchers_.shutdown();  // every watcher id goes back to CPython
  shut_down_ = false;    // a later configure() may start over
}

void InterpreterHost::after_fork_child() {
  perf_map::after_fork_child();  // before plugins that may write to it
  monitoring_source_.after_fork_child();
  for (PluginInstance* plugin : chain_order_) {
    if (plugin->initialized() && plugin->raw().after_fork_child != nullptr) {
      plugin->raw().after_fork_child(plugin->handle());
    }
  }
}

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
