// cli/check_command.cc - `pyhooks check`: validate the configuration and
// print the chain `pyhooks run` would build, with the reason for each
// position. Reads descriptors only; starts Python only to check plugins
// written in Python (python_plugin_check.h).
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "default_config.h"
#include "describe.h"
#include "interpreter.h"
#include "plugin_catalog.h"
#include "python_plugin_check.h"
#include "stage.h"

namespace pyhooks {

namespace {

template <typename T>
std::string setting(const std::optional<Located<T>>& value,
                    const std::string& text, const std::string& fallback) {
  if (!value) {
    return fallback + " (default)";
  }
  if (!value->where.known()) {
    return text;
  }
  return text + " (" + value->where.file + ":" +
         std::to_string(value->where.line) + ")";
}

void print_settings(const Config& config) {
  std::cout << "configuration: " << config.description() << "\n";
  if (config.origin == ConfigOrigin::kEmbeddedDefault) {
    std::istringstream text(kDefaultConfigText);
    for (std::string line; std::getline(text, line);) {
      std::cout << "  | " << line << "\n";
    }
  }
  std::string python = config.python ? config.python->value : "";
  std::cout << "python: "
            << setting(config.python, python, default_python_command()) << "\n";
  std::cout << "event source: "
            << setting(config.event_source,
                       config.event_source ? config.event_source->value : "",
                       "auto")
            << "\n";
  std::cout << "strict: "
            << setting(config.strict,
                       config.strict && config.strict->value ? "true" : "false",
                       "false")
            << "\n";
  std::cout << "children: "
            << setting(config.children,
                       !config.children || config.children->value ? "true"
                                                                  : "false",
                       "true")
            << "\n";
}

// The evaluators in the order a fresh frame meets them, ending in what runs
// it when every one passes it on: "native_names -> jit -> CPython's
// interpreter". A plugin whose descriptor could not be read is shown at the
// place its assumed priority gives it, marked "?".
std::string evaluation_order(const std::vector<SelectedPlugin>& chain) {
  std::string text;
  bool guessed = false;
  for (const SelectedPlugin& plugin : chain) {
    if (plugin.descriptor &&
        (plugin.descriptor->roles & PYHOOKS_ROLE_EVALUATOR) == 0) {
      continue;
    }
    guessed = guessed || !plugin.descriptor;
    text += plugin.name + (plugin.descriptor ? "" : "?") + " -> ";
  }
  text += "CPython's interpreter (or an evaluator installed before pyhooks)";
  if (guessed) {
    text += "; '?': not read here, its roles and place are assumed";
  }
  return text;
}

}  // namespace

// The Python plugins' classes, started once as `pyhooks run` would (with
// the configured interpreter, else the default one).
std::string check_plugins_written_in_python(const Selection& selection,
                                            const Config& config) {
  bool any = false;
  for (const SelectedPlugin& plugin : selection.chain) {
    any = any || !plugin.python_class.empty();
  }
  if (!any) return "";
  auto stage = locate_stage();
  if (!stage) return stage.error();
  std::string command = default_python_command();
  if (config.python) {
    command = config.python->value;
    if (command.find('/') != std::string::npos &&
        std::filesystem::path(command).is_relative()) {
      command = (std::filesystem::path(config.base_dir) / command)
                    .lexically_normal()
                    .string();
    }
  }
  return check_python_plugins(selection, command, stage->package_dir());
}

int check_command(const CommonOptions& options) {
  auto context = load_context(options);
  if (!context) {
    print_line(context.error());
    return kExitUsage;
  }
  PluginCatalog catalog(context->dirs, HostFacts{});
  auto selection = select_plugins(context->config, context->overrides, catalog);
  if (!selection) {
    print_line(selection.error());
    return kExitUsage;
  }
  for (const std::string& warning : selection->warnings) {
    print_line(warning);
  }
  std::string python_problem =
      check_plugins_written_in_python(*selection, context->config);
  if (!python_problem.empty()) {
    print_line(python_problem);
    return kExitUsage;
  }

  print_settings(context->config);
  std::cout << "plugin search path:\n";
  for (const std::string& dir : context->dirs) {
    std::cout << "  " << dir << "\n";
  }
  if (selection->chain.empty()) {
    std::cout << "chain: empty (no plugin is selected; pyhooks run starts "
                 "the program without plugins)\n";
    return 0;
  }
  std::cout << "chain (outermost first):\n";
  int position = 0;
  for (const SelectedPlugin& plugin : selection->chain) {
    std::string what = plugin.descriptor
                           ? plugin.descriptor->version + "  " +
                                 role_names(plugin.descriptor->roles)
                           : "(not read)";
    std::cout << "  " << ++position << ". " << plugin.name << "  " << what
              << "\n";
    std::vector<std::vector<std::string>> rows = {
        {"     position:", plugin.position},
        {"     selected by:", plugin.selected_by},
        {"     library:", plugin.library},
        {"     required:", plugin.required ? "yes"
                                           : "no (skipped if it "
                                             "cannot be loaded)"},
        {"     options:", options_text(plugin.options)},
    };
    if (!plugin.python_class.empty()) {
      rows.insert(rows.begin() + 3,
                  {"     python:", plugin.python_class +
                                       " (run by the bridge plugin 'python')"});
    }
    if (!plugin.deferred.empty()) {
      rows.push_back({"     note:", plugin.deferred});
    }
    print_columns(std::cout, rows);
  }
  std::cout << "evaluation (outermost first): "
            << evaluation_order(selection->chain) << "\n";
  return 0;
}

}  // namespace pyhooks
