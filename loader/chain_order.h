// loader/chain_order.h - the order of plugins in a chain.
//
// Rules (DESIGN section 4): higher priority first (outer), ties by name; an
// explicit `order` list overrides, with "*" standing for every other selected
// plugin by priority (without "*", unlisted plugins stay inactive); a name
// selected twice keeps its first occurrence, with a warning; of two exclusive
// evaluators the second is refused, naming both. Used by the host and by
// `pyhooks check`, so both print the same chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "result.h"

namespace pyhooks {

struct ChainCandidate {
  std::string name;
  int32_t priority = 0;
  bool priority_configured = false;  // false: the plugin's default
  bool exclusive_evaluator = false;
};

struct ChainPlan {
  struct Entry {
    size_t candidate;    // index into the candidates given
    std::string reason;  // why it sits here, for `pyhooks check`
  };
  std::vector<Entry> chain;           // outermost first
  std::vector<std::string> warnings;  // duplicates, unlisted plugins
  struct Refusal {
    size_t candidate;
    std::string message;
  };
  std::vector<Refusal> refused;  // e.g. a second exclusive evaluator
};

// Errors: an `order` naming an unselected plugin, a name listed twice, more
// than one "*".
Result<ChainPlan> plan_chain(
    const std::vector<ChainCandidate>& candidates,
    const std::optional<std::vector<std::string>>& explicit_order);

}  // namespace pyhooks
