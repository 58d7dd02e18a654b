// host/runtime/dispatch_context.h - what the event sources need from their
// host, and nothing more.
//
// The eval-frame hook, the sys.monitoring callbacks, function entries and
// watchers read the current chain snapshot and the per-code storage, and
// report plugin failures; they depend on this header instead of on
// interpreter_host.h (no include arrow runs back up to the host). The host
// owns one DispatchContext and fills it: at construction (the sources and
// storage) and whenever it rebuilds the chain or picks the observer source.
// A plain struct of pointers, read with plain loads on the per-event path:
// no virtual call. The two failure reports are cold and out of line
// (interpreter_host_failures.cc).
#pragma once

#include <Python.h>

#include <cstdint>

namespace pyhooks {

class InterpreterHost;
class CodeStates;
class EvalFrameSource;
class MonitoringSource;
class FunctionEntries;
class Watchers;
class PluginInstance;
struct Chain;
struct FrameView;

struct DispatchContext {
  PyInterpreterState* interp = nullptr;
  // The current chain snapshot; retired ones stay alive while a dispatch or
  // an activation reads them (chain.h).
  const Chain* chain = nullptr;
  CodeStates* code_states = nullptr;  // outlives the host
  // True when the eval-frame hook delivers observer events itself (3.11, or
  // 3.12+ without sys.monitoring); false when sys.monitoring does.
  bool observers_via_hook = true;
  EvalFrameSource* eval_source = nullptr;
  MonitoringSource* monitoring_source = nullptr;
  FunctionEntries* function_entries = nullptr;
  Watchers* watchers = nullptr;
  InterpreterHost* host = nullptr;  // the owner; opaque to the sources

  // An observer or init failed: report once, deactivate (or, with strict,
  // also raise PluginError into the program at the next safe point).
  void plugin_failed(PluginInstance& plugin, const char* callback,
                     int32_t event, const FrameView* view) const;
  // An evaluator broke PLUGIN-8; `raised`: it left a Python exception set,
  // which is cleared here unless it is the frame's outcome.
  void evaluator_misbehaved(PluginInstance& plugin, int32_t status, bool raised,
                            const FrameView& view) const;
};

}  // namespace pyhooks
