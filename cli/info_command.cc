// cli/info_command.cc - `pyhooks info`: the installation, the interpreters
// found and which host module serves each, the plugin search path and the
// configuration in use.
#include <filesystem>
#include <iostream>
#include <set>
#include <system_error>

#include "commands.h"
#include "describe.h"
#include "interpreter.h"
#include "stage.h"

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

std::string real_path(const std::string& path) {
  std::error_code error;
  fs::path real = fs::canonical(path, error);
  return error ? path : real.string();
}

void print_interpreters(const Result<Stage>& stage) {
  std::cout << "supported interpreters found (python3, python3.11-3.13 in "
               "PATH and in pyenv versions):\n";
  std::vector<std::vector<std::string>> rows = {
      {"  EXECUTABLE", "VERSION", "HOST MODULE"}};
  std::vector<std::string> unsupported;
  std::set<std::string> seen;
  for (const std::string& candidate : interpreter_candidates()) {
    auto python = probe_interpreter(candidate);
    if (!python || !seen.insert(real_path(python->executable)).second) {
      continue;  // not runnable (e.g. a pyenv shim), or seen already
    }
    if (!python->unsupported_reason().empty()) {
      unsupported.push_back((python->implementation == "cpython"
                                 ? "CPython"
                                 : python->implementation) +
                            " " + python->version());
      continue;
    }
    std::string module = stage ? stage->host_module(python->ext_suffix) : "";
    rows.push_back({"  " + python->executable, "CPython " + python->version(),
                    module.empty() ? "none in this build (rebuild with it)"
                                   : fs::path(module).filename().string()});
  }
  if (rows.size() == 1) {
    std::cout << "  none\n";
  } else {
    print_columns(std::cout, rows);
  }
  if (!unsupported.empty()) {
    std::string text;
    for (const std::string& name : unsupported) {
      text += (text.empty() ? "" : ", ") + name;
    }
    std::cout << "  (also found, not supported: " << text << ")\n";
  }
}

}  // namespace

int info_command(const CommonOptions& options) {
  std::cout << "pyhooks " << host_version() << " (plugin ABI "
            << PYHOOKS_ABI_MAJOR << "." << PYHOOKS_ABI_MINOR << ")\n";
  auto stage = locate_stage();
  if (stage) {
    std::cout << "installed tree: " << stage->root << "\n"
              << "host modules:\n";
    for (const std::string& module : stage->host_modules()) {
      std::cout << "  " << module << "  (CPython "
                << host_module_version(module) << ")\n";
    }
  } else {
    std::cout << "installed tree: none (" << stage.error() << ")\n";
  }
  print_interpreters(stage);

  auto context = load_context(options);
  if (!context) {
    print_line(context.error());
    return kExitUsage;
  }
  std::cout << "plugin search path:\n";
  for (const std::string& dir : context->dirs) {
    std::error_code error;
    bool exists = fs::is_directory(dir, error);
    size_t count = exists ? libraries_in({dir}).size() : 0;
    std::cout << "  " << dir << "  ("
              << (exists ? std::to_string(count) + " libraries" : "missing")
              << ")\n";
  }
  std::cout << "configuration: " << context->config.description() << "\n";
  return 0;
}

}  // namespace pyhooks
