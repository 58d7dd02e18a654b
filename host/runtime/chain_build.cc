// host/runtime/chain_build.cc - a Chain from the active plugins; retired
// snapshots freed (see chain_build.h).
#include "chain_build.h"

#include <algorithm>

#include "checks.h"
#include "observer_dispatch.h"
#include "plugin_instance.h"

namespace pyhooks {

BuiltChain build_chain(const std::vector<PluginInstance*>& chain_order,
                       const Chain* previous, uint32_t generation) {
  BuiltChain built;
  built.chain = std::make_unique<Chain>();
  Chain& chain = *built.chain;
  chain.generation = generation;
  for (PluginInstance* plugin : chain_order) {
    if (!plugin->active()) {
      continue;
    }
    chain.plugins.push_back(plugin);
    // configure() refuses a 65th plugin before its init; owed exits are a
    // 64-bit mask, so a chain past the cap leaves the extra observers out.
    if (plugin->descriptor().is_observer() &&
        PYHOOKS_CHECK(chain.observers.size() < kMaxObservers,
                      "at most 64 observers in a chain")) {
      chain.observers.push_back(plugin);
      chain.observer_events |= plugin->descriptor().events;
      if (previous == nullptr ||
          std::find(previous->observers.begin(), previous->observers.end(),
                    plugin) == previous->observers.end()) {
        built.observer_added = true;
      }
    }
    if (plugin->descriptor().is_evaluator()) {
      chain.evaluators.push_back(plugin);
    }
  }
  link_observers(chain);
  return built;
}

void release_unused(std::vector<std::unique_ptr<Chain>>& chains,
                    const Chain* current, std::vector<const Chain*> in_use) {
  std::sort(in_use.begin(), in_use.end());
  size_t before = chains.size();
  chains.erase(
      std::remove_if(chains.begin(), chains.end(),
                     [&](const std::unique_ptr<Chain>& chain) {
                       return chain.get() != current && chain->uses == 0 &&
                              !std::binary_search(in_use.begin(), in_use.end(),
                                                  chain.get());
                     }),
      chains.end());
  // The current snapshot is never released.
  PYHOOKS_DCHECK(current == nullptr || chains.size() < before ||
                 std::any_of(chains.begin(), chains.end(),
                             [&](const std::unique_ptr<Chain>& chain) {
                               return chain.get() == current;
                             }));
}

}  // namespace pyhooks
