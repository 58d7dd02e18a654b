// cli/run_spec.h - what `pyhooks run` tells the start-up hook.
//
// The checked selection travels to boot/_pyhooks_boot.py as JSON in
// $PYHOOKS_RUN_SPEC (inherited by child processes):
//   {"version": 1, "pid": <the program's pid>,
//    "children": bool, "strict": bool, "event_source": "auto"|...,
//    "order": [...]|null, "plugin_path": [...],
//    "plugins": [{"target": library path, "name": ..., "priority": int|null,
//                 "options": {...}, "required": bool}, ...]}
// A plugin written in Python is the bridge's request ("name": "python")
// with "as": its configured name (see python_plugin_json).
// The plugins are the arguments of pyhooks.configure(), in chain order.
#pragma once

#include <string>
#include <vector>

#include "selection.h"

namespace pyhooks {

struct RunSpec {
  long pid = 0;
  bool children = true;
  bool strict = false;
  std::string event_source = "auto";
  std::vector<std::string> plugin_path;
  const Selection* selection = nullptr;
};

inline constexpr const char* kRunSpecVariable = "PYHOOKS_RUN_SPEC";

std::string run_spec_json(const RunSpec& spec);
// One plugin's request in it (an argument of pyhooks.configure()).
std::string plugin_request_json(const SelectedPlugin& plugin);

}  // namespace pyhooks
