// host/runtime/python_options.h - plugin options given as Python objects.
//
// The in-process API (pyhooks.load(..., options={...})) and `pyhooks run`'s
// bootstrap (which passes the config's TOML values through JSON) hand
// options as a dict; this checks each against the plugin's declared option
// table and converts it.
#pragma once

#include <Python.h>

#include "loader/plugin_options.h"
#include "loader/result.h"

namespace pyhooks {

// `options` may be NULL or None (no options). Errors are one line naming the
// plugin and the option.
Result<PluginOptions> options_from_python(const PluginDescriptor& plugin,
                                          PyObject* options);

}  // namespace pyhooks
