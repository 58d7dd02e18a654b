// config/config_locate.h - which configuration `pyhooks` uses.
//
// In order: the file named with --config, the file named by $PYHOOKS_CONFIG,
// then in the current directory and each parent in turn pyhooks.toml or
// [tool.pyhooks] in pyproject.toml (as coverage, pytest and ruff look; the
// search stops after a repository root - a directory holding .git - or the
// home directory), and otherwise the configuration built into pyhooks
// (default_config.h). A file named pyproject.toml is always read through its
// [tool.pyhooks] table.
#pragma once

#include <string>
#include <vector>

#include "config_model.h"
#include "loader/result.h"

namespace pyhooks {

struct ConfigChoice {
  std::string explicit_file;  // --config, or empty
  std::string env_file;       // $PYHOOKS_CONFIG, or empty
  std::string search_dir;     // where to look; empty: the current directory
};

Result<Config> load_config(const ConfigChoice& choice);

// The directories searched for a configuration file, nearest first, from
// `start` (empty: the current directory) up to the first one holding .git,
// the home directory ($HOME) or the filesystem root.
std::vector<std::string> search_dirs_upwards(const std::string& start);

// The embedded default configuration, parsed.
Config default_config();

}  // namespace pyhooks
