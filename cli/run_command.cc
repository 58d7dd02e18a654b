// cli/run_command.cc - `pyhooks run`: check everything, then exec Python.
//
// Everything that can be wrong (configuration, plugin names, options,
// order, interpreter version, installation) is reported here, before the
// program starts. Then the process becomes the interpreter (execv) with the
// user's own command line, so that Python itself sets sys.argv, sys.path[0],
// __main__, signals and the exit status exactly as without pyhooks; the
// start-up hook (boot/sitecustomize.py) activates the plugins first.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "interpreter.h"
#include "plugin_catalog.h"
#include "run_spec.h"
#include "stack_limit.h"
#include "stage.h"

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

Result<Interpreter> choose_interpreter(const RunOptions& options,
                                       const Config& config) {
  const std::string hint =
      "; name a CPython 3.11-3.13 with --python or `python` in pyhooks.toml";
  if (!options.python.empty()) {
    auto interpreter = probe_interpreter(options.python);
    if (!interpreter) {
      return Error{"pyhooks: error: --python: " + interpreter.error() + hint};
    }
    return interpreter;
  }
  if (config.python) {
    std::string command = config.python->value;
    if (command.find('/') != std::string::npos &&
        fs::path(command).is_relative()) {
      command = (fs::path(config.base_dir) / command).lexically_normal();
    }
    auto interpreter = probe_interpreter(command);
    if (!interpreter) {
      return located_error(config.python->where,
                           "'python': " + interpreter.error());
    }
    return interpreter;
  }
  auto interpreter = probe_interpreter("python3");
  if (!interpreter) {
    return Error{"pyhooks: error: " + interpreter.error() + hint};
  }
  return interpreter;
}

std::string no_host_module(const Stage& stage, const Interpreter& python) {
  std::string built;
  for (const std::string& module : stage.host_modules()) {
    built += (built.empty() ? "" : ", ") + host_module_version(module);
  }
  return "this pyhooks build has no host module for " + python.command +
         " (CPython " + python.version() + ", " + python.ext_suffix +
         "); it was built for CPython " + (built.empty() ? "none" : built) +
         "; rebuild pyhooks with this interpreter (make build PYTHONS=" +
         python.command + ")";
}

// The user's PYTHONPATH, without what an enclosing `pyhooks run` of this
// same installation put in front of it.
std::optional<std::string> user_pythonpath(const std::string& ours) {
  const char* value = std::getenv("PYTHONPATH");
  if (value == nullptr) {
    return std::nullopt;
  }
  std::string text = value;
  if (text == ours) {
    return std::nullopt;
  }
  if (text.rfind(ours + ":", 0) == 0) {
    return text.substr(ours.size() + 1);
  }
  return text;
}

}  // namespace

int run_command(const RunOptions& options) {
  auto stage = locate_stage();
  if (!stage) {
    return usage_error(stage.error());
  }
  auto context = load_context(options);
  if (!context) {
    print_line(context.error());
    return kExitUsage;
  }
  const Config& config = context->config;

  auto python = choose_interpreter(options, config);
  if (!python) {
    print_line(python.error());
    return kExitUsage;
  }
  if (std::string why = python->unsupported_reason(); !why.empty()) {
    return usage_error(why);
  }
  if (stage->host_module(python->ext_suffix).empty()) {
    return usage_error(no_host_module(*stage, *python));
  }
  std::string event_source =
      config.event_source ? config.event_source->value : "auto";
  if (event_source == "monitoring" && python->minor < 12) {
    print_line(located_text(config.event_source->where, "error",
                            "event_source \"monitoring\" needs CPython 3.12 "
                            "or newer, and " +
                                python->command + " is CPython " +
                                python->version()));
    return kExitUsage;
  }

  HostFacts facts;
  facts.python_version_hex = python->hexversion;
  facts.python_build_tag = python->soabi;
  PluginCatalog catalog(context->dirs, facts);
  auto selection = select_plugins(config, context->overrides, catalog);
  if (!selection) {
    print_line(selection.error());
    return kExitUsage;
  }
  for (const std::string& warning : selection->warnings) {
    print_line(warning);
  }

  RunSpec spec;
  spec.pid = static_cast<long>(getpid());
  // boot/sitecustomize.py finds both directories from its own location.
  std::string ours = stage->boot_dir() + ":" + stage->package_dir();
  spec.user_pythonpath = user_pythonpath(ours);
  spec.children =
      !options.no_children && (!config.children || config.children->value);
  spec.strict = config.strict && config.strict->value;
  spec.event_source = event_source;
  for (const auto& dir : config.plugin_path) {
    spec.plugin_path.push_back(dir.value);
  }
  spec.selection = &selection.value();
  std::string pythonpath =
      ours + (spec.user_pythonpath && !spec.user_pythonpath->empty()
                  ? ":" + *spec.user_pythonpath
                  : "");
  if (setenv("PYTHONPATH", pythonpath.c_str(), 1) != 0 ||
      setenv(kRunSpecVariable, run_spec_json(spec).c_str(), 1) != 0) {
    return usage_error(std::string("cannot set the environment: ") +
                       std::strerror(errno));
  }

  std::vector<std::string> args = {python->command};
  args.insert(args.end(), options.program.begin(), options.program.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  enlarge_main_stack();
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  execv(python->path.c_str(), argv.data());
  return usage_error("cannot run " + python->path + ": " +
                     std::strerror(errno));
}

}  // namespace pyhooks
