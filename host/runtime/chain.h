// host/runtime/chain.h - one immutable snapshot of an interpreter's chain.
//
// The host builds a new Chain whenever plugins come, go or fail, and keeps
// every snapshot until the interpreter ends: a frame that entered under an
// older chain finishes (delivers its exit events) against the chain it
// started with, and never sees a dangling pointer. Chains change a handful of
// times per run, so keeping them costs nothing.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <vector>

namespace pyhooks {

class PluginInstance;

// Observers that received an enter event and are owed the exit event.
using ObserverMask = uint64_t;
constexpr size_t kMaxObservers = 64;

// What observer dispatch reads per event for chain observer i, copied out of
// the plugin's descriptor when the chain is built, so that the per-event loop
// touches one small array instead of chasing plugin -> descriptor -> table.
struct ObserverLink {
  PluginInstance* plugin;
  pyhooks_status (*on_event)(pyhooks_plugin* self, pyhooks_event event,
                             const pyhooks_frame* frame);
  pyhooks_plugin* handle;
  uint32_t events;  // PYHOOKS_EVENT_BIT mask the plugin wants
  uint32_t index;   // the plugin's code-state entry
};

// The same for evaluator link i.
struct EvaluatorLink {
  PluginInstance* plugin;
  pyhooks_status (*evaluate)(pyhooks_plugin* self, pyhooks_frame* frame,
                             struct _object** result);
  pyhooks_plugin* handle;
  uint32_t index;
};

struct Chain {
  uint32_t generation = 0;
  // Active plugins in chain order (outermost first).
  std::vector<PluginInstance*> plugins;
  std::vector<PluginInstance*> observers;
  std::vector<PluginInstance*> evaluators;
  uint32_t observer_events = 0;  // union of the observers' wanted events
  // observer_links[i] describes observers[i]; every_observer has a bit per
  // observer. Filled by link_observers (observer_dispatch.h).
  std::vector<ObserverLink> observer_links;
  ObserverMask every_observer = 0;
  // The chain's shape, fixed when it is built: with exactly one observer
  // (the common case) this points at its link, and observer dispatch runs
  // straight-line code for it instead of the mask loops.
  const ObserverLink* sole_observer = nullptr;
  // evaluator_links[i] describes evaluators[i] (EvalFrameSource).
  std::vector<EvaluatorLink> evaluator_links;

  bool empty() const { return observers.empty() && evaluators.empty(); }
};

}  // namespace pyhooks
