// cli/main.cc - the `pyhooks` command line: subcommands and their options
// (CLI11, used only here), help with examples, and dispatch to commands.h.
//
// `pyhooks run` stops reading its own options at the first argument that is
// not one of them: from there on, interpreter options (-X dev, -W error,
// -O, -I, ...), the program (`script.py`, `-m`, `-c`, `-`) and its arguments
// belong to Python and are passed through untouched (so `pyhooks run app.py
// --help` asks app.py for help, and `pyhooks run -O app.py` runs python -O).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <iostream>
#include <set>

#include "commands.h"
#include "completion.h"
#include "loader/name_suggestion.h"
#include "loader/plugin_library.h"
#include "new_plugin.h"

namespace pyhooks {

namespace {

class Formatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    if (app->get_name() == "run") {
      return "Usage: pyhooks run [OPTIONS] [python options] (script.py | -m "
             "module | -c code | -) [args...]\n";
    }
    return CLI::Formatter::make_usage(app, std::move(name));
  }
};

constexpr const char* kRunFooter =
    R"TXT(The program runs exactly as under `python script.py args...` (sys.argv,
sys.path[0], __main__, stdin/stdout/stderr, tracebacks, exit status,
Ctrl-C), with the plugins active from its first line. Interpreter options
after pyhooks' own (-X dev, -W error, -O, -u, -I, -E, -S, ...) are passed to
Python with their usual meaning. Child Python processes (subprocess,
multiprocessing) get the same plugins.

Examples:
  pyhooks run app.py --port 8000
  pyhooks run -p profiler -X dev -W error app.py
  pyhooks run -m pytest -x tests/
  pyhooks run -c "import app; app.main()"
  pyhooks run - < script.py
  pyhooks run --python python3.12 -p profiler -o profiler.output=run.prof app.py
  pyhooks run --config ci/pyhooks.toml --no-children app.py

Environment: PYHOOKS_CONFIG (config file), PYHOOKS_ENABLE / PYHOOKS_DISABLE
(comma-separated plugin names), PYHOOKS_PLUGIN_PATH (extra plugin directories).
See docs/cli.md and docs/config.md.)TXT";

constexpr const char* kCheckFooter = R"TXT(Examples:
  pyhooks check
  pyhooks check --config ci/pyhooks.toml
  pyhooks check -p tracer -p profiler -o profiler.output=run.prof)TXT";

constexpr const char* kListFooter = R"TXT(Examples:
  pyhooks list
  PYHOOKS_PLUGIN_PATH=build/plugins pyhooks list)TXT";

constexpr const char* kInfoFooter = R"TXT(Examples:
  pyhooks info)TXT";

constexpr const char* kInspectFooter =
    R"TXT(Exit status 1 when the library would not load, with the reason.

Examples:
  pyhooks inspect build/stage/lib/pyhooks/plugins/pyhooks_profiler.so
  pyhooks inspect --python python3.12 ./pyhooks_jit.so)TXT";

constexpr const char* kMainFooter = R"TXT(Examples:
  pyhooks run app.py              run app.py with the plugins of pyhooks.toml
  pyhooks run -p profiler app.py  profile app.py (no configuration needed)
  pyhooks check                   validate the configuration, show the chain
  pyhooks list                    every plugin found
  pyhooks new-plugin NAME         start a plugin project (CMake, test)
  pyhooks help COMMAND            help for one command (or COMMAND --help)
  source <(pyhooks completion bash)   tab completion in bash

Documentation: docs/cli.md, docs/config.md and docs/profiler.md in the
pyhooks source tree.)TXT";

constexpr const char* kCompletionFooter = R"TXT(Examples:
  source <(pyhooks completion bash)
  pyhooks completion bash > ~/.local/share/bash-completion/completions/pyhooks)TXT";

// The flags `command` takes ("--config", "-p", ...), for "did you mean".
std::vector<std::string> flag_names(const CLI::App& command) {
  std::vector<std::string> names{"--help"};
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      names.push_back("--" + name);
    }
  }
  return names;
}

// "; did you mean '--config'?" when a CLI11 error is about a mistyped flag.
std::string flag_suggestion(const CLI::ParseError& error,
                            const CLI::App& command) {
  std::string text = error.what();
  const std::string marker = "not expected: ";
  size_t at = text.find(marker);
  if (at == std::string::npos) return "";
  // "x.toml --confg": the first word that looks like a flag.
  std::string words = text.substr(at + marker.size()) + " ";
  for (size_t start = 0, end;
       (end = words.find(' ', start)) != std::string::npos; start = end + 1) {
    std::string typed = words.substr(start, end - start);
    if (typed.rfind("--", 0) != 0) continue;
    return did_you_mean(typed.substr(0, typed.find('=')), flag_names(command));
  }
  return "";
}

const std::set<std::string> kRunValueOptions = {
    "--config", "--python", "-p", "--plugin", "-o", "--option"};
const std::set<std::string> kRunFlags = {"--no-children", "-h", "--help"};
// CPython's long options (besides "--help", which is pyhooks run's here).
const std::set<std::string> kPythonLongOptions = {
    "--check-hash-based-pycs", "--help-env", "--help-xoptions", "--help-all",
    "--version"};

// Whether `arg` is for `pyhooks run` itself: one of its options ("-pNAME",
// "--config=FILE" and "-p NAME" forms; none of them is a CPython option),
// or a long option CPython does not have, which CLI11 then refuses.
bool is_run_option(const std::string& arg) {
  if (kRunValueOptions.count(arg) != 0 || kRunFlags.count(arg) != 0) {
    return true;
  }
  if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
    return kPythonLongOptions.count(arg.substr(0, arg.find('='))) == 0;
  }
  if (arg.size() > 2 && arg[0] == '-' && (arg[1] == 'p' || arg[1] == 'o')) {
    return true;
  }
  for (const std::string& option : kRunValueOptions) {
    if (option.size() > 2 && arg.rfind(option + "=", 0) == 0) return true;
  }
  return false;
}

// Index of the first argument of `pyhooks run` that belongs to Python: an
// interpreter option, the program, or "--".
int program_start(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (!is_run_option(arg)) {
      return i;
    }
    if (kRunValueOptions.count(arg) != 0) {
      ++i;  // its value
    }
  }
  return argc;
}

void add_common(CLI::App* command, CommonOptions& options, bool selection) {
  command->add_option("--config", options.config,
                      "Configuration file (default: $PYHOOKS_CONFIG, else "
                      "pyhooks.toml or [tool.pyhooks] in pyproject.toml here "
                      "or in the nearest parent directory)");
  if (!selection) {
    return;
  }
  command
      ->add_option("-p,--plugin", options.plugins,
                   "Run this plugin (name or library path) instead of the "
                   "configured selection; repeat for several")
      ->allow_extra_args(false);
  command
      ->add_option("-o,--option", options.options,
                   "Set a plugin option, NAME.KEY=VALUE; repeat for several")
      ->allow_extra_args(false);
}

int parse_and_run(int argc, char** argv) {
  CLI::App app{
      "pyhooks: run Python programs with frame-evaluation plugins "
      "(profilers, tracers, JITs) chained in a defined order.",
      "pyhooks"};
  app.formatter(std::make_shared<Formatter>());
  app.set_version_flag(
      "--version", std::string("pyhooks ") + host_version() + " (plugin ABI " +
                       std::to_string(PYHOOKS_ABI_MAJOR) + "." +
                       std::to_string(PYHOOKS_ABI_MINOR) + ")");
  app.require_subcommand(1);
  app.footer(kMainFooter);

  RunOptions run_options;
  CLI::App* run = app.add_subcommand(
      "run",
      "Run a Python program with the plugins active from its first "
      "line");
  add_common(run, run_options, true);
  CLI::Option* run_python =
      run->add_option("--python", run_options.python,
                      "Interpreter to run (default: `python` in the "
                      "configuration, else python3)");
  run->add_flag("--no-children", run_options.no_children,
                "Do not activate the plugins in child Python processes");
  run->footer(kRunFooter);

  CommonOptions check_options;
  CLI::App* check = app.add_subcommand(
      "check", "Validate the configuration and print the chain in order");
  add_common(check, check_options, true);
  check->footer(kCheckFooter);

  CommonOptions list_options;
  CLI::App* list = app.add_subcommand(
      "list", "List every plugin in the search path (without starting Python)");
  add_common(list, list_options, false);
  list->footer(kListFooter);

  CommonOptions info_options;
  CLI::App* info = app.add_subcommand(
      "info", "Show interpreters, host modules, search path and configuration");
  add_common(info, info_options, false);
  info->footer(kInfoFooter);

  std::string library;
  std::string inspect_python;
  CLI::App* inspect = app.add_subcommand(
      "inspect",
      "Show the descriptors of one plugin library, or why it "
      "would not load");
  inspect->add_option("LIBRARY", library, "Plugin shared object")->required();
  inspect->add_option("--python", inspect_python,
                      "Negotiate as the host would for this interpreter");
  inspect->footer(kInspectFooter);

  NewPluginOptions new_plugin_options;
  CLI::App* new_plugin = add_new_plugin_command(app, new_plugin_options);

  std::string shell;
  CLI::App* completion = app.add_subcommand(
      "completion", "Print a shell completion script (bash)");
  completion->add_option("SHELL", shell, "The shell: bash")
      ->required()
      ->check(CLI::IsMember({"bash"}));
  completion->footer(kCompletionFooter);

  // `pyhooks` and `pyhooks help [COMMAND]` print help, as --help does.
  if (argc == 1) {
    std::cout << app.help();
    return 0;
  }
  if (std::string(argv[1]) == "help") {
    if (argc == 2) {
      std::cout << app.help();
      return 0;
    }
    for (const CLI::App* command : app.get_subcommands({})) {
      if (command->get_name() == argv[2]) {
        std::cout << command->help("pyhooks");
        return 0;
      }
    }
  }

  // Split `pyhooks [opts] run [run opts] PROGRAM...` before CLI11 sees it.
  std::vector<std::string> commands{"help"};
  for (const CLI::App* command : app.get_subcommands({})) {
    commands.push_back(command->get_name());
  }
  int parsed = argc;
  int command_at = 1;
  while (command_at < argc && argv[command_at][0] == '-') ++command_at;
  bool help_for = command_at < argc && std::string(argv[command_at]) == "help";
  std::string typed_command = help_for && command_at + 1 < argc
                                  ? argv[command_at + 1]
                              : command_at < argc ? argv[command_at]
                                                  : "";
  if (!typed_command.empty() && std::find(commands.begin(), commands.end(),
                                          typed_command) == commands.end()) {
    std::string list;
    for (size_t i = 1; i < commands.size(); ++i) {
      list += (i == 1 ? "" : ", ") + commands[i];
    }
    return usage_error("unknown command '" + typed_command + "'" +
                       did_you_mean(typed_command, commands) +
                       " (commands: " + list + "); see 'pyhooks --help'");
  }
  if (command_at < argc && std::string(argv[command_at]) == "run") {
    parsed = program_start(argc, argv, command_at + 1);
    // Python itself accepts "--" before the script: pass it on too.
    run_options.program.assign(argv + parsed, argv + argc);
  }
  try {
    app.parse(parsed, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) {
      return app.exit(error);  // --help, --version
    }
    std::string where =
        command_at < argc ? std::string(" ") + argv[command_at] : "";
    const CLI::App* command = &app;
    for (const CLI::App* sub : app.get_subcommands({})) {
      if (command_at < argc && sub->get_name() == argv[command_at]) {
        command = sub;
      }
    }
    return usage_error(error.what() + flag_suggestion(error, *command) +
                       std::string("; see 'pyhooks") + where + " --help'");
  }

  if (run->parsed()) {
    if (run_python->count() > 0 && run_options.python.empty()) {
      return usage_error(
          "--python: the value is empty; name an interpreter, e.g. --python "
          "python3.12");
    }
    return run_command(run_options);
  }
  if (check->parsed()) return check_command(check_options);
  if (list->parsed()) return list_command(list_options);
  if (info->parsed()) return info_command(info_options);
  if (new_plugin->parsed()) return new_plugin_command(new_plugin_options);
  if (completion->parsed()) {
    std::cout << bash_completion(app);
    return 0;
  }
  return inspect_command(library, inspect_python);
}

}  // namespace

}  // namespace pyhooks

int main(int argc, char** argv) {
  try {
    return pyhooks::parse_and_run(argc, argv);
  } catch (const std::exception& error) {
    return pyhooks::usage_error(std::string("internal error: ") + error.what() +
                                "; please report it with the command line");
  } catch (...) {
    return pyhooks::usage_error(
        "internal error; please report it with the command line");
  }
}
