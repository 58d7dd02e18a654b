// config/config_model.h - the typed model of a pyhooks configuration.
//
// What `pyhooks.toml` (or `[tool.pyhooks]` in pyproject.toml, or the
// embedded default) says, checked for syntax, keys and types but not yet
// against the plugins installed (selection.h does that). Every value keeps
// the place it came from, so later checks can report `file:line:col`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "loader/plugin_options.h"
#include "loader/result.h"

namespace pyhooks {

// A position in a configuration file (1-based). line == 0: no position
// (the value came from the command line or the environment).
struct SourcePos {
  std::string file;  // as shown to the user (e.g. "pyhooks.toml")
  uint32_t line = 0;
  uint32_t column = 0;

  bool known() const { return line != 0; }
};

// The one line that reports a problem (or a warning) at `where`:
// `file:line:col: error: message`, or `pyhooks: error: message` when there
// is no position. Errors travel as loader Error values holding this line.
std::string located_text(const SourcePos& where, const char* severity,
                         const std::string& message);
// `text` with control characters escaped (\n, \t, \xNN): a message quoting
// a damaged file or a strange key still takes exactly one line.
std::string one_line(const std::string& text);
Error located_error(const SourcePos& where, const std::string& message);

template <typename T>
struct Located {
  T value{};
  SourcePos where;
};

// A value from `[plugin.NAME.options]`, typed as TOML typed it; checked
// against the plugin's declared option type in selection.cc.
struct ConfigOption {
  std::string key;
  OptionValue value;  // STRING, INT, FLOAT, BOOL or STRING_LIST
  SourcePos key_where;
  SourcePos value_where;
};

// `[plugin.NAME]`.
struct PluginConfig {
  std::string name;
  SourcePos where;  // the table
  std::optional<Located<bool>> enabled;
  std::optional<Located<int64_t>> priority;
  std::optional<Located<bool>> required;
  std::optional<Located<std::string>> library;  // absolute path
  // "module:Class": a plugin written in Python, run by the bridge plugin
  // "python" (docs/internals/python-bridge.md); its options go to the class.
  std::optional<Located<std::string>> python;
  std::vector<ConfigOption> options;  // in file order
};

enum class ConfigOrigin {
  kEmbeddedDefault,  // no file: the configuration built into pyhooks
  kPyhooksToml,      // a pyhooks.toml (or any file named with --config)
  kPyprojectToml,    // [tool.pyhooks] in a pyproject.toml
};

struct Config {
  ConfigOrigin origin = ConfigOrigin::kEmbeddedDefault;
  std::string file;      // as shown to the user; empty for the default
  std::string base_dir;  // absolute: relative paths are resolved here
  std::string table;     // "" or "tool.pyhooks": prefix of key names

  std::optional<Located<std::string>> python;     // as written
  std::vector<Located<std::string>> plugin_path;  // absolute directories
  std::optional<Located<std::vector<Located<std::string>>>> order;
  std::optional<Located<bool>> strict;
  std::optional<Located<std::string>> event_source;  // validated value
  std::optional<Located<bool>> children;
  std::vector<PluginConfig> plugins;  // in file order

  const PluginConfig* find_plugin(const std::string& name) const;
  // Where the configuration came from, for messages and `pyhooks check`.
  std::string description() const;
};

}  // namespace pyhooks
