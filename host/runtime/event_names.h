// host/runtime/event_names.h - the event names the host prints (failure
// lines, counters), indexed by PYHOOKS_EVENT_*.
#pragma once

#include <pyhooks/plugin.h>

namespace pyhooks {

inline constexpr const char* kEventNames[PYHOOKS_EVENT_COUNT] = {
    "start",  "resume", "return",   "yield",
    "unwind", "c_call", "c_return", "c_raise"};

}  // namespace pyhooks
