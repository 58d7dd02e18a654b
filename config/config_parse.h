// config/config_parse.h - TOML text to the typed Config model.
//
// Checks TOML syntax, the keys pyhooks knows and their types; every error is
// one `file:line:col: error: ...` line. toml++ is used here and nowhere else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config_model.h"
#include "loader/result.h"

namespace pyhooks {

struct ConfigText {
  std::string text;
  std::string file;      // as shown in messages; empty: no positions
  std::string base_dir;  // absolute; relative paths are resolved here
  ConfigOrigin origin = ConfigOrigin::kPyhooksToml;
};

// For ConfigOrigin::kPyprojectToml the settings are the [tool.pyhooks]
// table; a pyproject.toml without one yields std::nullopt.
Result<std::optional<Config>> parse_config(const ConfigText& source);

// Plugin names as descriptors allow them: 1-64 of a-z 0-9 _ - . (not
// starting with - or .).
bool is_valid_plugin_name(std::string_view name);

// Empty if `text` is MODULE:CLASS (dotted Python names on both sides of one
// ':'), else what is wrong with it. The bridge plugin applies the same rule
// (plugins/python_bridge/python_target.cc) before importing.
std::string python_class_problem(std::string_view text);

}  // namespace pyhooks
