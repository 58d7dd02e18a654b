// host/runtime/observer_dispatch.h - delivering frame events to observers.
//
// Shared by both event sources (the eval-frame hook and sys.monitoring), so
// that what a plugin sees cannot depend on which source produced it. Enter
// events go to observers in chain order; the returned mask records who
// received one, and exactly those receive the exit event, in reverse order.
// Callbacks run with the thread marked as tracing (frames they run are not
// reported) and with any in-flight exception set aside - which
// sys.monitoring already guarantees for its callbacks, so the host does it
// only for events delivered from the eval-frame hook.
//
// Per event this does only what cannot be known earlier: which observers
// watch this code is a mask cached per (code object, chain generation) in the
// CodeState; what each observer wants and where its callback is sits in the
// chain's ObserverLink array. The loops walk set bits of a mask. They are
// inline (every event source's callback is their only caller); whatever is
// rare (a DISABLE answer, a failure, recomputing a mask) is out of line in
// observer_dispatch.cc.
#pragma once

#include <pyhooks/plugin.h>

#include "chain.h"
#include "checks.h"
#include "code_states.h"
#include "dispatch_context.h"
#include "frame_view.h"
#include "plugin_instance.h"

namespace pyhooks {

struct EnterDelivery {
  ObserverMask owed = 0;      // who received the enter and is owed the exit
  bool all_disabled = false;  // every active observer disabled this code
};

// Fills chain.observer_links and every_observer from chain.observers (at
// most kMaxObservers), and chain.evaluator_links from chain.evaluators;
// called once per chain when it is built.
void link_observers(Chain& chain);

inline EnterDelivery deliver_enter(FrameView& view, pyhooks_event event);
inline void deliver_exit(FrameView& view, pyhooks_event event,
                         ObserverMask owed);
// The same, for events from sys.monitoring callbacks only (below).
inline EnterDelivery deliver_enter_monitored(FrameView& view,
                                             pyhooks_event event);
inline void deliver_exit_monitored(FrameView& view, pyhooks_event event,
                                   ObserverMask owed);

// True if every active observer has disabled `view.code_state`'s code.
inline bool all_observers_disabled(const FrameView& view);

namespace dispatch_detail {

// The cold paths, out of line.
ObserverMask compute_observing(const FrameView& view);
void disable_for_code(const FrameView& view, const ObserverLink& link);
void observer_failed(FrameView& view, const ObserverLink& link,
                     pyhooks_event event);

// Brackets callbacks delivered from the hook: tracing on (frames they run
// are not events), any exception the frame is raising (a throw() entering,
// an UNWIND leaving) set aside. sys.monitoring does both for its callbacks.
class CallbackScope {
 public:
  explicit CallbackScope(PyThreadState* tstate) : tstate_(tstate) {
    saved_error_ = phc_error_pending(tstate_) != 0;
    if (saved_error_) phc_error_save(&saved_);
    phc_tstate_enter_tracing(tstate_);
  }
  ~CallbackScope() {
    phc_tstate_leave_tracing(tstate_);
    if (saved_error_) phc_error_restore(&saved_);
  }
  CallbackScope(const CallbackScope&) = delete;
  CallbackScope& operator=(const CallbackScope&) = delete;

 private:
  PyThreadState* tstate_;
  bool saved_error_;
  phc_saved_error saved_;
};

inline ObserverMask observing(const FrameView& view) {
  CodeState* state = view.code_state;
  if (state == nullptr) {
    return view.chain->every_observer;
  }
  if (state->dispatch_generation == view.chain->generation) {
    return state->observing;
  }
  return compute_observing(view);
}

// Runs one callback; returns its status, turning "left an exception set"
// into a failure. A plugin that is handed its per-code bytes (ABI 1.2) finds
// them in view.pub.code_data, which is NULL for every other callback.
__attribute__((always_inline)) inline pyhooks_status call_observer(
    const ObserverLink& link, pyhooks_event event, FrameView& view) {
  ++link.plugin->counters().events[event];
  pyhooks_status status;
  if (link.frame_data_entry == 0) {
    status = link.on_event(link.plugin->handle(), event, &view.pub);
  } else {  // inline: the plugins that get the pointer pay least this way
    view.pub.code_data = view.dispatch->code_states->frame_data(
        view.code_state, link.index, link.frame_data_entry);
    status = link.on_event(link.plugin->handle(), event, &view.pub);
    view.pub.code_data = nullptr;  // the next plugin's callback starts clean
  }
  if (status != PYHOOKS_OK && status != PYHOOKS_DISABLE) {
    return PYHOOKS_ERROR;
  }
  return phc_error_pending(view.tstate) ? PYHOOKS_ERROR : status;
}

__attribute__((noinline)) inline EnterDelivery enter_loop(FrameView& view,
                                                          pyhooks_event event) {
  const ObserverLink* links = view.chain->observer_links.data();
  const uint32_t event_bit = PYHOOKS_EVENT_BIT(event);
  ObserverMask owed = 0;
  bool interested = false;
  for (ObserverMask rest = observing(view); rest != 0; rest &= rest - 1) {
    unsigned i = static_cast<unsigned>(__builtin_ctzll(rest));
    const ObserverLink& link = links[i];
    if (!link.plugin->active()) {
      continue;
    }
    interested = true;
    ObserverMask bit = ObserverMask{1} << i;
    if (!(link.events & event_bit)) {
      owed |= bit;
      continue;
    }
    switch (call_observer(link, event, view)) {
      case PYHOOKS_OK:
        owed |= bit;
        break;
      case PYHOOKS_DISABLE:
        disable_for_code(view, link);
        break;
      default:
        observer_failed(view, link, event);
        break;
    }
  }
  return {owed, !interested};
}

// The same for a chain of one observer (chain.sole_observer): no masks to
// walk, the same answers as enter_loop and exit_loop would give.
__attribute__((always_inline)) inline EnterDelivery enter_sole(
    FrameView& view, pyhooks_event event, const ObserverLink& link) {
  if (!link.plugin->active() || (observing(view) & 1) == 0) {
    return {0, true};  // failed or disabled since, or it disabled this code
  }
  if (!(link.events & PYHOOKS_EVENT_BIT(event))) {
    return {1, false};
  }
  switch (call_observer(link, event, view)) {
    case PYHOOKS_OK:
      return {1, false};
    case PYHOOKS_DISABLE:
      disable_for_code(view, link);
      return {0, false};
    default:
      observer_failed(view, link, event);
      return {0, false};
  }
}

__attribute__((always_inline)) inline void exit_one(FrameView& view,
                                                    pyhooks_event event,
                                                    const ObserverLink& link) {
  if (!(link.events & PYHOOKS_EVENT_BIT(event)) || !link.plugin->active()) {
    return;
  }
  switch (call_observer(link, event, view)) {
    case PYHOOKS_OK:
      break;
    case PYHOOKS_DISABLE:
      disable_for_code(view, link);
      break;
    default:
      observer_failed(view, link, event);
      break;
  }
}

__attribute__((noinline)) inline void exit_loop(FrameView& view,
                                                pyhooks_event event,
                                                ObserverMask owed) {
  const ObserverLink* links = view.chain->observer_links.data();
  PYHOOKS_DCHECK((owed & ~view.chain->every_observer) == 0);  // mask bounds
  while (owed != 0) {
    unsigned i = 63u - static_cast<unsigned>(__builtin_clzll(owed));
    owed &= ~(ObserverMask{1} << i);
    exit_one(view, event, links[i]);  // the same delivery, one link each
  }
}

}  // namespace dispatch_detail

// Events from sys.monitoring callbacks (view.in_hook false: CPython already
// runs them as tracing, with no exception set): the sole observer's
// delivery is inlined into the callback, and two or more go straight to the
// out-of-line loops, with no call in between whose prologue and epilogue
// every event would pay.
__attribute__((always_inline)) inline EnterDelivery deliver_enter_monitored(
    FrameView& view, pyhooks_event event) {
  PYHOOKS_DCHECK(!view.in_hook);
  view.entering = true;
  view.starting = event == PYHOOKS_EVENT_START;
  const ObserverLink* sole = view.chain->sole_observer;
  return sole != nullptr ? dispatch_detail::enter_sole(view, event, *sole)
                         : dispatch_detail::enter_loop(view, event);
}

__attribute__((always_inline)) inline void deliver_exit_monitored(
    FrameView& view, pyhooks_event event, ObserverMask owed) {
  PYHOOKS_DCHECK(!view.in_hook);
  view.entering = false;
  view.starting = false;
  const ObserverLink* sole = view.chain->sole_observer;
  if (sole != nullptr) {
    dispatch_detail::exit_one(view, event, *sole);  // owed is 1
  } else {
    dispatch_detail::exit_loop(view, event, owed);
  }
}

// Left to the compiler, which keeps them out of line, on purpose: inlined
// into the hook's dispatch, their locals (the CallbackScope's saved error)
// join dispatch's C frame, which stays on the stack under every nested
// Python call, and at a raised recursion limit the host's C stack guard then
// fires before CPython's own limit (test_call_memo on 3.13; -30 instructions
// per call were not worth it).
inline EnterDelivery deliver_enter(FrameView& view, pyhooks_event event) {
  view.entering = true;
  view.starting = event == PYHOOKS_EVENT_START;
  const ObserverLink* sole = view.chain->sole_observer;
  if (!view.in_hook) {
    return sole != nullptr ? dispatch_detail::enter_sole(view, event, *sole)
                           : dispatch_detail::enter_loop(view, event);
  }
  dispatch_detail::CallbackScope scope(view.tstate);
  return sole != nullptr ? dispatch_detail::enter_sole(view, event, *sole)
                         : dispatch_detail::enter_loop(view, event);
}

inline void deliver_exit(FrameView& view, pyhooks_event event,
                         ObserverMask owed) {
  view.entering = false;
  view.starting = false;
  const ObserverLink* sole = view.chain->sole_observer;
  if (!view.in_hook) {
    if (sole != nullptr) {
      dispatch_detail::exit_one(view, event, *sole);  // owed is 1
    } else {
      dispatch_detail::exit_loop(view, event, owed);
    }
    return;
  }
  dispatch_detail::CallbackScope scope(view.tstate);
  if (sole != nullptr) {
    dispatch_detail::exit_one(view, event, *sole);
  } else {
    dispatch_detail::exit_loop(view, event, owed);
  }
}

// Inline: sys.monitoring asks it for every CALL of a Python function when
// C calls are observed (monitoring_source.cc: on_c_call).
inline bool all_observers_disabled(const FrameView& view) {
  if (view.code_state == nullptr) {
    return false;
  }
  const auto& links = view.chain->observer_links;
  for (ObserverMask rest = dispatch_detail::observing(view); rest != 0;
       rest &= rest - 1) {
    if (links[static_cast<unsigned>(__builtin_ctzll(rest))].plugin->active()) {
      return false;
    }
  }
  return true;
}

}  // namespace pyhooks
