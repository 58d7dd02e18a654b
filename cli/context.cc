// cli/context.cc - configuration, overrides and search path for a command.
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "config_locate.h"
#include "plugin_catalog.h"

namespace pyhooks {

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

void print_line(const std::string& line) {
  std::cout.flush();
  std::cerr << one_line(line) << '\n';
  std::cerr.flush();
}

int usage_error(const std::string& message) {
  print_line("pyhooks: error: " + message);
  return kExitUsage;
}

Result<Context> load_context(const CommonOptions& options) {
  ConfigChoice choice;
  choice.explicit_file = options.config;
  choice.env_file = environment("PYHOOKS_CONFIG");
  auto config = load_config(choice);
  if (!config) {
    return Error{config.error()};
  }
  Context context;
  context.config = std::move(config.value());
  context.overrides.plugins = options.plugins;
  context.overrides.options = options.options;
  context.overrides.enable = split_names(environment("PYHOOKS_ENABLE"));
  context.overrides.disable = split_names(environment("PYHOOKS_DISABLE"));
  std::vector<std::string> explicit_dirs;
  for (const auto& dir : context.config.plugin_path) {
    explicit_dirs.push_back(dir.value);
  }
  context.dirs = search_dirs(explicit_dirs);
  return context;
}

}  // namespace pyhooks
