// host/runtime/interpreter_host.h - everything pyhooks holds for one
// interpreter.
//
// One InterpreterHost per interpreter (InterpreterRegistry maps interpreter
// to host; nothing per-interpreter lives in globals). It owns the plugins
// loaded there, the chain snapshots, the per-code storage and the two event
// sources, and decides which are installed: nothing while no plugin is
// active; the eval-frame hook while any evaluator is; for observers,
// sys.monitoring on 3.12+ (with or without the hook) and the hook on 3.11 or
// when asked for (docs/internals/event-sources.md).
#pragma once

#include <Python.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "c_function_names.h"
#include "chain.h"
#include "code_states.h"
#include "dispatch_context.h"
#include "eval_frame_source.h"
#include "function_entries.h"
#include "loader/plugin_library.h"
#include "monitoring_source.h"
#include "plugin_instance.h"
#include "ref.h"
#include "thread_names.h"
#include "watchers.h"

namespace pyhooks {

struct FrameView;

// Which source delivers observer events when no evaluator is active.
enum class EventSourceChoice { kAuto, kEvalFrame, kMonitoring };

// One plugin to activate (from the Python API or `pyhooks run`'s spec).
struct LoadRequest {
  std::string target;       // plugin name, or path to a library
  std::string plugin_name;  // which plugin of a multi-plugin library
  // The name it runs under, if not its descriptor's: one library plugin
  // instantiated several times (the Python bridge: one per [plugin.NAME]
  // python = "module:Class").
  std::string instance_name;
  std::optional<int32_t> priority;
  Ref<> options;         // dict or None
  bool required = true;  // failure raises instead of warning
};

class InterpreterHost {
 public:
  // Returns nullptr with a Python exception set on failure.
  static std::unique_ptr<InterpreterHost> create(PyInterpreterState* interp,
                                                 bool is_main);
  ~InterpreterHost();
  InterpreterHost(const InterpreterHost&) = delete;
  InterpreterHost& operator=(const InterpreterHost&) = delete;

  // ---- the Python API (GIL held; false/nullptr = Python exception set) ---
  bool configure(std::vector<LoadRequest> requests,
                 std::optional<std::vector<std::string>> order,
                 const std::vector<std::string>& plugin_path,
                 PyObject* error_type);
  bool unload(const std::string& name, PyObject* error_type);
  bool set_disabled(const std::string& name, bool disabled,
                    PyObject* error_type);
  bool set_event_source(EventSourceChoice choice);
  void set_strict(bool strict) { strict_ = strict; }
  bool strict() const { return strict_; }
  Ref<> describe_chain() const;
  Ref<> describe_counters() const;
  const char* event_source_name() const;
  std::vector<std::string> search_dirs(
      const std::vector<std::string>& plugin_path) const;
  // Shuts every plugin down (reverse chain order) and uninstalls sources.
  void shutdown();
  void after_fork_child();

  // ---- used by dispatch ------------------------------------------------
  PyInterpreterState* interp() const { return interp_; }
  DispatchContext& dispatch() { return dispatch_; }
  const Chain* chain() const { return dispatch_.chain; }
  CodeStates& code_states() { return *dispatch_.code_states; }
  EvalFrameSource& eval_source() { return eval_source_; }
  MonitoringSource& monitoring_source() { return monitoring_source_; }
  ThreadNames& thread_names() { return thread_names_; }
  CFunctionNames& c_function_names() { return c_function_names_; }
  Watchers& watchers() { return watchers_; }
  FunctionEntries& function_entries() { return function_entries_; }
  // True when the eval-frame hook delivers observer events itself (3.11, or
  // 3.12+ without sys.monitoring); false when sys.monitoring does.
  bool observers_via_hook() const { return dispatch_.observers_via_hook; }

  // An observer or init failed: report once, deactivate (or, with strict,
  // also raise PluginError into the program at the next safe point).
  void plugin_failed(PluginInstance& plugin, const char* callback,
                     int32_t event, const FrameView* view);
  // An evaluator broke PLUGIN-8; `raised`: it left a Python exception set,
  // which is cleared here unless it is the frame's outcome.
  void evaluator_misbehaved(PluginInstance& plugin, int32_t status, bool raised,
                            const FrameView& view);

 private:
  InterpreterHost(PyInterpreterState* interp, bool is_main,
                  CodeStates* code_states);

  PluginInstance* find_active(const std::string& name) const;
  // Calls init; on failure records the reason and, unless the caller will
  // raise it (`report_failure` false), prints it as a warning.
  bool init_plugin(PluginInstance& plugin, bool report_failure);
  void shutdown_plugin(PluginInstance& plugin);
  void rebuild_chain();
  // Frees retired snapshots that no dispatch and no open activation reads.
  void release_unused_chains();
  void refresh_sources(bool observers_added = false);
  static bool evaluators_need_hook(const Chain& chain);
  // Calls on_chain_changed (ABI 1.1) of the new chain's plugins when its
  // plugins differ from `previous`'s.
  void notify_chain_changed(const Chain* previous);
  std::string frame_context(const FrameView* view) const;
  // One line naming the plugin, deactivated; with strict, raised too.
  void deactivate_failed(PluginInstance& plugin, const std::string& message);
  void raise_strict_failure(const std::string& message);

  PyInterpreterState* interp_;
  bool is_main_;
  // What the sources read (chain, code states, ...); filled by the host.
  DispatchContext dispatch_;
  EvalFrameSource eval_source_;
  MonitoringSource monitoring_source_;
  ThreadNames thread_names_;
  CFunctionNames c_function_names_;
  Watchers watchers_;                 // ABI 1.1 watch/unwatch
  FunctionEntries function_entries_;  // ABI 1.1 function_entry_set/clear
  EventSourceChoice source_choice_ = EventSourceChoice::kAuto;
  bool strict_ = false;
  bool shut_down_ = false;
  std::optional<std::vector<std::string>> order_;  // explicit order, if any
  std::vector<std::unique_ptr<PluginInstance>> plugins_;  // by index
  std::vector<PluginInstance*> chain_order_;    // initialized, chain order
  std::vector<std::unique_ptr<Chain>> chains_;  // current + retired (chain.h)
  uint32_t last_generation_ = 0;
};

}  // namespace pyhooks
