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
#pragma once

#include <pyhooks/plugin.h>

#include "chain.h"
#include "frame_view.h"

namespace pyhooks {

struct EnterDelivery {
  ObserverMask owed = 0;      // who received the enter and is owed the exit
  bool all_disabled = false;  // every active observer disabled this code
};

EnterDelivery deliver_enter(FrameView& view, pyhooks_event event);
void deliver_exit(FrameView& view, pyhooks_event event, ObserverMask owed);

// True if every active observer has disabled `view.code_state`'s code.
bool all_observers_disabled(const FrameView& view);

}  // namespace pyhooks
