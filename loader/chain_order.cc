// loader/chain_order.cc - priority sort, explicit order, conflicts.
#include "chain_order.h"

#include <algorithm>
#include <map>
#include <set>

namespace pyhooks {

namespace {

bool outer_first(const ChainCandidate& a, const ChainCandidate& b) {
  if (a.priority != b.priority) {
    return a.priority > b.priority;
  }
  return a.name < b.name;
}

std::string priority_reason(const ChainCandidate& candidate) {
  return "priority " + std::to_string(candidate.priority) +
         (candidate.priority_configured ? " (configured)" : " (default)");
}

std::string listed(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

}  // namespace

Result<ChainPlan> plan_chain(
    const std::vector<ChainCandidate>& candidates,
    const std::optional<std::vector<std::string>>& explicit_order) {
  ChainPlan plan;

  // First occurrence of each name wins.
  std::map<std::string, size_t> first;
  std::vector<size_t> unique;
  for (size_t i = 0; i < candidates.size(); ++i) {
    auto [it, inserted] = first.emplace(candidates[i].name, i);
    if (inserted) {
      unique.push_back(i);
    } else {
      plan.warnings.push_back("plugin '" + candidates[i].name +
                              "' is selected twice; the first selection is "
                              "used and the later one ignored");
    }
  }
  std::stable_sort(unique.begin(), unique.end(), [&](size_t a, size_t b) {
    return outer_first(candidates[a], candidates[b]);
  });

  if (!explicit_order) {
    for (size_t index : unique) {
      plan.chain.push_back({index, priority_reason(candidates[index])});
    }
  } else {
    std::set<std::string> named;
    int stars = 0;
    for (const std::string& name : *explicit_order) {
      if (name == "*") {
        ++stars;
      } else if (!named.insert(name).second) {
        return Error{"order lists '" + name + "' twice"};
      } else if (first.count(name) == 0) {
        std::vector<std::string> selected;
        for (size_t index : unique) selected.push_back(candidates[index].name);
        return Error{"order names '" + name +
                     "', which is not a selected plugin (selected: " +
                     (selected.empty() ? "none" : listed(selected)) + ")"};
      }
    }
    if (stars > 1) {
      return Error{"order may contain \"*\" only once"};
    }
    int position = 0;
    for (const std::string& name : *explicit_order) {
      if (name != "*") {
        plan.chain.push_back(
            {first[name],
             "position " + std::to_string(++position) + " in order"});
        continue;
      }
      for (size_t index : unique) {
        if (named.count(candidates[index].name) == 0) {
          plan.chain.push_back(
              {index, "\"*\" in order, " + priority_reason(candidates[index])});
        }
      }
    }
    if (stars == 0) {
      for (size_t index : unique) {
        if (named.count(candidates[index].name) == 0) {
          plan.warnings.push_back("plugin '" + candidates[index].name +
                                  "' is selected but not in order and order "
                                  "has no \"*\"; it stays inactive");
        }
      }
    }
  }

  // Exclusive evaluators: the first in chain order wins.
  const ChainCandidate* holder = nullptr;
  std::vector<ChainPlan::Entry> kept;
  for (ChainPlan::Entry& entry : plan.chain) {
    const ChainCandidate& candidate = candidates[entry.candidate];
    if (candidate.exclusive_evaluator && holder != nullptr) {
      plan.refused.push_back(
          {entry.candidate, "plugin '" + candidate.name +
                                "' is an exclusive evaluator, and so is '" +
                                holder->name + "', which comes first; '" +
                                candidate.name + "' is not activated"});
      continue;
    }
    if (candidate.exclusive_evaluator) {
      holder = &candidate;
    }
    kept.push_back(std::move(entry));
  }
  plan.chain = std::move(kept);
  return plan;
}

}  // namespace pyhooks
