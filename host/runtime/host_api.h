// host/runtime/host_api.h - the function table every plugin receives.
#pragma once

#include <pyhooks/plugin.h>

namespace pyhooks {

// One static table for all plugins of all interpreters: every function takes
// the plugin's own handle (or frame), never global state.
const pyhooks_host_api* host_api_table();

}  // namespace pyhooks
