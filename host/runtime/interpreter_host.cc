// host/runtime/interpreter_host.cc - InterpreterHost's lifecycle: create,
// configure (find, validate, order, init), unload, disable/enable, shutdown
// and fork. The chain rebuild and source selection live in
// interpreter_host_chain.cc, failure reporting in interpreter_host_failures.cc,
// the describe output in interpreter_host_describe.cc.
#include "interpreter_host.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "../compat/compat.h"
#include "error_stash.h"
#include "loader/chain_order.h"
#include "loader/plugin_search.h"
#include "perf_map.h"
#include "python_options.h"
#include "report.h"

#ifndef PYHOOKS_SOABI
#error "the build defines PYHOOKS_SOABI (sysconfig SOABI of the interpreter)"
#endif

namespace pyhooks {

namespace {

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
      eval_source_(dispatch_),
      monitoring_source_(dispatch_),
      watchers_(&function_entries_),
      function_entries_(dispatch_),
      source_choice_(choice_from_environment()) {
  dispatch_.interp = interp;
  dispatch_.code_states = code_states;
  dispatch_.eval_source = &eval_source_;
  dispatch_.monitoring_source = &monitoring_source_;
  dispatch_.function_entries = &function_entries_;
  dispatch_.watchers = &watchers_;
  dispatch_.host = this;
  rebuild_chain();
}

InterpreterHost::~InterpreterHost() {
  shutdown();
  dispatch_.code_states->detach();
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
    dispatch_.code_states->add_plugin(plugin,
                                      plugin->descriptor().code_data_size);
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
  dispatch_.code_states->release_plugin(&plugin);
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

}  // namespace pyhooks
