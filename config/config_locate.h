// config/config_locate.h - which configuration `pyhooks` uses.
//
// In order: the file named with --config, the file named by $PYHOOKS_CONFIG,
// ./pyhooks.toml, [tool.pyhooks] in ./pyproject.toml, and otherwise the
// configuration built into pyhooks (default_config.h). A file named
// pyproject.toml is always read through its [tool.pyhooks] table.
#pragma once

#include <string>

#include "config_model.h"
#include "loader/result.h"

namespace pyhooks {

struct ConfigChoice {
  std::string explicit_file;  // --config, or empty
  std::string env_file;       // $PYHOOKS_CONFIG, or empty
  std::string search_dir;     // where to look; empty: the current directory
};

Result<Config> load_config(const ConfigChoice& choice);

// The embedded default configuration, parsed.
Config default_config();

}  // namespace pyhooks
