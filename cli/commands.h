// cli/commands.h - the `pyhooks` subcommands, as main.cc dispatches them.
//
// Each returns the process exit status: 0 success, 1 `inspect` of a library
// that would not load, 2 bad configuration, arguments or installation
// (`run` only returns on such an error: otherwise it execs the program).
// Errors are printed as one line on stderr.
#pragma once

#include <string>
#include <vector>

#include "config_model.h"
#include "loader/result.h"
#include "selection.h"

namespace pyhooks {

inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Options shared by run, check, list and info.
struct CommonOptions {
  std::string config;                // --config
  std::vector<std::string> plugins;  // -p
  std::vector<std::string> options;  // -o
};

struct RunOptions : CommonOptions {
  std::string python;                // --python
  bool no_children = false;          // --no-children
  std::vector<std::string> program;  // script.py args | -m mod args | ...
};

// The configuration in use, the command-line/environment overrides and the
// plugin search path.
struct Context {
  Config config;
  Overrides overrides;
  std::vector<std::string> dirs;
};

Result<Context> load_context(const CommonOptions& options);

// Prints `line` (an error or warning line) to stderr.
void print_line(const std::string& line);
// Prints "pyhooks: error: <message>" and returns kExitUsage.
int usage_error(const std::string& message);

int run_command(const RunOptions& options);
int check_command(const CommonOptions& options);
int list_command(const CommonOptions& options);
int info_command(const CommonOptions& options);
int inspect_command(const std::string& library, const std::string& python);

}  // namespace pyhooks
