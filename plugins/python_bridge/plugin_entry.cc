// plugins/python_bridge/plugin_entry.cc - the bridge's descriptor: plugin
// "python", an observer whose callbacks are PythonObserver's members. It
// declares every event; init narrows them to the methods the Python class
// defines (HOST-26).
#include <pyhooks/plugin.hpp>

#include "python_observer.h"

#if PYHOOKS_TARGET_ABI_MINOR < 1
#error "the Python bridge needs plugin ABI 1.1 (narrow_events, C-call events)"
#endif

namespace {

constexpr pyhooks_plugin_desc kPython =
    pyhooks::describe<python_bridge::PythonObserver>({
        .name = "python",
        .version = "1.0",
        .description = "runs an observer written in Python (module:Class)",
        .roles = PYHOOKS_ROLE_OBSERVER,
        .default_priority = PYHOOKS_PRIORITY_NORMAL,
        .events = PYHOOKS_EVENTS_ALL | PYHOOKS_EVENTS_C_CALLS,
        .option_count = 3,
        .options = python_bridge::PythonObserver::kOptions,
    });

const pyhooks_plugin_desc* const kPlugins[] = {&kPython};

const pyhooks_library_desc kLibrary = {
    .struct_size = sizeof(pyhooks_library_desc),
    .abi_major = PYHOOKS_ABI_MAJOR,
    .abi_minor = PYHOOKS_TARGET_ABI_MINOR,
    .plugin_count = 1,
    .plugins = kPlugins,
};

}  // namespace

extern "C" PYHOOKS_EXPORT pyhooks_status
pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &kLibrary);
}
