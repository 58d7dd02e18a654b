// host/runtime/chain_build.h - building a Chain snapshot and retiring old
// ones, as plain functions of the plugin list (no interpreter needed).
//
// InterpreterHost::rebuild_chain (interpreter_host_chain.cc) calls these and
// then does what needs CPython: picks the event sources, ends unsound
// function entries and tells plugins. Keeping the pure part here lets
// tests/unit/chain_build_test.cc check it without Python.
#pragma once

#include <memory>
#include <vector>

#include "chain.h"

namespace pyhooks {

struct BuiltChain {
  std::unique_ptr<Chain> chain;
  // Some observer in the new chain was not an observer of `previous` (the
  // monitoring source must then re-arm events it had disabled).
  bool observer_added = false;
};

// A snapshot of the active plugins of `chain_order` (outermost first), with
// generation `generation` and its observer and evaluator links filled.
BuiltChain build_chain(const std::vector<PluginInstance*>& chain_order,
                       const Chain* previous, uint32_t generation);

// Frees the snapshots in `chains` other than `current` that no dispatch uses
// (Chain::uses) and no open activation names (`in_use`, any order).
void release_unused(std::vector<std::unique_ptr<Chain>>& chains,
                    const Chain* current, std::vector<const Chain*> in_use);

}  // namespace pyhooks
