// host/runtime/chain.h - one immutable snapshot of an interpreter's chain.
//
// The host builds a new Chain whenever plugins come, go or fail. A frame that
// entered under an older chain finishes (delivers its exit events) against
// the chain it started with, so a retired snapshot is kept while anything
// may still read it: a dispatch on some thread's C stack (counted in `uses`
// by a ChainUse for the dispatch's duration) or an open activation in the
// sys.monitoring source's shadow stacks (found by scanning them). The host
// frees the others at its next rebuild, so that a disable()/enable() loop
// keeps a bounded number of snapshots (InterpreterHost::release_unused_chains).
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
// (The plugin's handle is not copied: PluginInstance::handle() is the
// instance's address, so the link stays 32 bytes.)
struct ObserverLink {
  PluginInstance* plugin;
  pyhooks_status (*on_event)(pyhooks_plugin* self, pyhooks_event event,
                             const pyhooks_frame* frame);
  uint32_t events;  // PYHOOKS_EVENT_BIT mask the plugin wants
  uint32_t index;   // the plugin's code-state entry
  // PluginInstance::frame_data_entry: non-zero if the plugin is handed its
  // code_data in the frame (ABI 1.2).
  uint32_t frame_data_entry;
};
static_assert(sizeof(ObserverLink) == 32, "two links per cache line");

// The same for evaluator link i.
struct EvaluatorLink {
  PluginInstance* plugin;
  pyhooks_status (*evaluate)(pyhooks_plugin* self, pyhooks_frame* frame,
                             struct _object** result);
  pyhooks_plugin* handle;
  uint32_t index;
  uint32_t frame_data_entry;  // as in ObserverLink
};

struct Chain {
  // Unique per interpreter and never reused (code states cache per-code
  // answers keyed by it).
  uint32_t generation = 0;
  // Dispatches in flight that read this snapshot (ChainUse). Under the GIL.
  mutable uint32_t uses = 0;
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
  // No observer and at least one evaluator: the hook's evaluate_only path.
  bool evaluators_only = false;
  // The outermost evaluator with PYHOOKS_CAP_INTERPRETER_TRAMPOLINE, whose
  // per-code trampoline wraps every entry into the interpreter; nullptr
  // when there is none (link_observers sets it).
  const EvaluatorLink* trampoline_link = nullptr;

  bool empty() const { return observers.empty() && evaluators.empty(); }
};

// Keeps `chain` from being freed while a dispatch reads it.
class ChainUse {
 public:
  explicit ChainUse(const Chain* chain) : chain_(chain) { ++chain_->uses; }
  ~ChainUse() { --chain_->uses; }
  ChainUse(const ChainUse&) = delete;
  ChainUse& operator=(const ChainUse&) = delete;

 private:
  const Chain* chain_;
};

}  // namespace pyhooks
