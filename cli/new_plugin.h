// cli/new_plugin.h - `pyhooks new-plugin`: writes a small plugin project (a
// CMake project on find_package(pyhooks CONFIG), the source, a README and a
// test on pyhooks.testing) from the templates installed in
// share/pyhooks/new-plugin/.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace pyhooks {

struct NewPluginOptions {
  std::string name;
  std::string kind = "observer";  // observer | evaluator
  std::string lang = "c";         // c | c++
  std::string dir;                // default: ./NAME
};

// Adds the subcommand to `app`, parsing into `options`.
CLI::App* add_new_plugin_command(CLI::App& app, NewPluginOptions& options);

// Writes the project; the exit status (0, or kExitUsage after one line).
int new_plugin_command(const NewPluginOptions& options);

}  // namespace pyhooks
