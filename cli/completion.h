// cli/completion.h - `pyhooks completion bash`: a bash completion script
// made from the command line's own definition (the subcommands and their
// flags as main.cc declares them), so it never goes stale. Plugin names
// after -p/--plugin come from `pyhooks list` at completion time; files and
// interpreters where an option takes one.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace pyhooks {

std::string bash_completion(const CLI::App& app);

}  // namespace pyhooks
