// cli/run_command.cc - `pyhooks run`: check everything, then exec Python.
//
// Everything that can be wrong (configuration, plugin names, options,
// order, interpreter version, installation) is reported here, before the
// program starts. Then the process becomes the interpreter (execv) with the
// user's own command line (its interpreter options included), so that Python
// itself sets sys.argv, sys.path, sys.flags, __main__, signals and the exit
// status exactly as without pyhooks; the preloaded start-up hook
// (boot/boot.h) activates the plugins just before the program's first line.
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
  auto interpreter = probe_interpreter(default_python_command());
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

// `existing` (the user's LD_PRELOAD) with `library` last: a sanitizer
// runtime or the user's own preloads keep their place in front, and an
// enclosing `pyhooks run` of this installation leaves no second copy.
std::string preload_list(const char* existing, const std::string& library) {
  std::string list;
  std::string entry;
  std::string text = existing ? existing : "";
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ':' || text[i] == ' ') {
      if (!entry.empty() && entry != library) {
        list += (list.empty() ? "" : ":") + entry;
      }
      entry.clear();
    } else {
      entry += text[i];
    }
  }
  return list + (list.empty() ? "" : ":") + library;
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
  spec.children =
      !options.no_children && (!config.children || config.children->value);
  spec.strict = config.strict && config.strict->value;
  spec.event_source = event_source;
  for (const auto& dir : config.plugin_path) {
    spec.plugin_path.push_back(dir.value);
  }
  spec.selection = &selection.value();
  // boot/_pyhooks_boot.py finds the package from its own location.
  std::string preload =
      preload_list(std::getenv("LD_PRELOAD"), stage->boot_library());
  if (setenv("LD_PRELOAD", preload.c_str(), 1) != 0 ||
      setenv(kRunSpecVariable, run_spec_json(spec).c_str(), 1) != 0 ||
      !enlarge_main_stack()) {
    return usage_error(std::string("cannot set the environment: ") +
                       std::strerror(errno));
  }

  std::vector<std::string> args = {python->command};
  args.insert(args.end(), options.program.begin(), options.program.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  execv(python->path.c_str(), argv.data());
  return usage_error("cannot run " + python->path + ": " +
                     std::strerror(errno));
}

}  // namespace pyhooks
