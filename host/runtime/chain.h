// host/runtime/chain.h - one immutable snapshot of an interpreter's chain.
//
// The host builds a new Chain whenever plugins come, go or fail, and keeps
// every snapshot until the interpreter ends: a frame that entered under an
// older chain finishes (delivers its exit events) against the chain it
// started with, and never sees a dangling pointer. Chains change a handful of
// times per run, so keeping them costs nothing.
#pragma once

#include <cstdint>
#include <vector>

namespace pyhooks {

class PluginInstance;

// Observers that received an enter event and are owed the exit event.
using ObserverMask = uint64_t;
constexpr size_t kMaxObservers = 64;

struct Chain {
  uint32_t generation = 0;
  // Active plugins in chain order (outermost first).
  std::vector<PluginInstance*> plugins;
  std::vector<PluginInstance*> observers;
  std::vector<PluginInstance*> evaluators;
  uint32_t observer_events = 0;  // union of the observers' wanted events

  bool empty() const { return observers.empty() && evaluators.empty(); }
};

}  // namespace pyhooks
