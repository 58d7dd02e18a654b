// config/selection.h - from configuration + command line to the chain.
//
// Resolves which plugins run, from where, with which options and in which
// order, checking everything that can be checked without Python: plugin
// names against the descriptors found in the search path, option names and
// types against each plugin's declared options, `order` against the
// selection, exclusive evaluators. `pyhooks run` hands the result to the
// host (which rebuilds the same chain with plan_chain); `pyhooks check`
// prints it.
//
// Selection rule: with `-p` the plugins named there run (their [plugin.NAME]
// tables still supply library, priority, required and options); otherwise
// every [plugin.NAME] table with `enabled` not false, plus the names in
// $PYHOOKS_ENABLE, minus the names in $PYHOOKS_DISABLE. `order` entries
// naming configured plugins that are not selected are skipped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config_model.h"
#include "loader/plugin_options.h"
#include "loader/result.h"
#include "plugin_catalog.h"

namespace pyhooks {

struct Overrides {
  std::vector<std::string> plugins;  // -p NAME|LIBRARY, in order
  std::vector<std::string> options;  // -o NAME.KEY=VALUE, as typed
  std::vector<std::string> enable;   // $PYHOOKS_ENABLE
  std::vector<std::string> disable;  // $PYHOOKS_DISABLE
};

struct SelectedPlugin {
  std::string name;
  std::string library;  // absolute path of its shared object
  // Empty when the library can only be read inside Python (see
  // plugin_catalog.h); `deferred` then says why, and the host checks it.
  std::optional<PluginDescriptor> descriptor;
  std::string deferred;
  // False only for a library named by path whose descriptors could not be
  // read: `name` is then guessed from the file name.
  bool name_known = true;
  std::optional<int32_t> priority;  // configured; else the plugin's default
  int32_t effective_priority = PYHOOKS_PRIORITY_NORMAL;
  bool required = true;
  PluginOptions options;  // a Python plugin's: its class's, as typed
  // A plugin written in Python ([plugin.NAME] python = "module:Class"):
  // `library` is the bridge's (plugin "python"), run under `name`, and
  // `python_origin` names the key for the bridge's messages
  // ("pyhooks.toml:4:10: plugin.probe.python = \"m:C\"").
  std::string python_class;
  std::string python_origin;
  std::string selected_by;  // "pyhooks.toml:7:1", "-p recorder", ...
  std::string position;     // why it sits where it does in the chain
};

struct Selection {
  std::vector<SelectedPlugin> chain;  // outermost first: what will run
  // `order` as handed to the host (config order without the entries that
  // name unselected plugins); empty when the config has none.
  std::optional<std::vector<std::string>> order;
  std::vector<std::string> warnings;  // complete lines, without newline
};

// The bridge plugin that runs plugins written in Python (pyhooks_python.so).
inline constexpr const char* kPythonBridge = "python";

Result<Selection> select_plugins(const Config& config,
                                 const Overrides& overrides,
                                 const PluginCatalog& catalog);

// "a,b, c" -> {"a", "b", "c"} (for $PYHOOKS_ENABLE / $PYHOOKS_DISABLE).
std::vector<std::string> split_names(const std::string& text);

}  // namespace pyhooks
