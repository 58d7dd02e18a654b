// host/runtime/observer_dispatch.cc - the observer onion's rare paths (the
// per-event loops are inline in observer_dispatch.h).
#include "observer_dispatch.h"

#include "code_states.h"
#include "dispatch_context.h"
#include "plugin_instance.h"

namespace pyhooks {

namespace dispatch_detail {

// Records that `link`'s plugin answered DISABLE for the view's code.
void disable_for_code(const FrameView& view, const ObserverLink& link) {
  CodeState* state = view.code_state;
  if (state == nullptr) {
    return;
  }
  if (SlotEntry* entry = view.dispatch->code_states->entry(state, link.index)) {
    entry->flags |= SlotEntry::kObserverDisabled;
  }
  state->dispatch_generation = 0;  // recompute the mask at the next enter
}

void observer_failed(FrameView& view, const ObserverLink& link,
                     pyhooks_event event) {
  view.dispatch->plugin_failed(*link.plugin, "on_event", event, &view);
}

// Chain observers that have not disabled the view's code (once per code
// object and chain generation).
ObserverMask compute_observing(const FrameView& view) {
  const Chain& chain = *view.chain;
  CodeState* state = view.code_state;
  CodeStates& states = *view.dispatch->code_states;
  ObserverMask mask = 0;
  for (size_t i = 0; i < chain.observer_links.size(); ++i) {
    SlotEntry* entry = states.entry(state, chain.observer_links[i].index);
    if (entry == nullptr || !(entry->flags & SlotEntry::kObserverDisabled)) {
      mask |= ObserverMask{1} << i;
    }
  }
  state->observing = mask;
  state->dispatch_generation = chain.generation;
  return mask;
}

}  // namespace dispatch_detail

void link_observers(Chain& chain) {
  chain.observer_links.clear();
  chain.every_observer = 0;
  for (size_t i = 0; i < chain.observers.size(); ++i) {
    PluginInstance* plugin = chain.observers[i];
    chain.observer_links.push_back(
        {plugin, plugin->raw().on_event, plugin->descriptor().events,
         plugin->index(), plugin->frame_data_entry()});
    chain.every_observer |= ObserverMask{1} << i;
  }
  chain.sole_observer =
      chain.observer_links.size() == 1 ? &chain.observer_links[0] : nullptr;
  chain.evaluator_links.clear();
  for (PluginInstance* plugin : chain.evaluators) {
    chain.evaluator_links.push_back({plugin, plugin->raw().evaluate,
                                     plugin->handle(), plugin->index(),
                                     plugin->frame_data_entry()});
  }
  chain.evaluators_only =
      chain.observers.empty() && !chain.evaluator_links.empty();
  chain.trampoline_link = nullptr;
  for (const EvaluatorLink& link : chain.evaluator_links) {
    if ((link.plugin->descriptor().capabilities &
         PYHOOKS_CAP_INTERPRETER_TRAMPOLINE) &&
        link.frame_data_entry != 0) {
      chain.trampoline_link = &link;
      break;
    }
  }
}

}  // namespace pyhooks
