// cli/plugin_commands.cc - `pyhooks list` (every plugin in the search path)
// and `pyhooks inspect LIB.so` (one library's descriptors, or why it would
// not load). Both read descriptors only; neither starts Python.
#include <filesystem>
#include <iostream>
#include <system_error>

#include "commands.h"
#include "describe.h"
#include "interpreter.h"
#include "plugin_catalog.h"

namespace pyhooks {

namespace {

// Why `path` cannot be read by this process, as one line.
std::string unreadable(const PluginCatalog& catalog, const std::string& path,
                       const std::string& loader_error) {
  if (auto symbol = catalog.needs_python(path)) {
    return "plugin library '" + path +
           "' can only be read inside Python: it needs the Python symbol " +
           *symbol + " (pyhooks run still loads it)";
  }
  return loader_error;
}

}  // namespace

int list_command(const CommonOptions& options) {
  auto context = load_context(options);
  if (!context) {
    print_line(context.error());
    return kExitUsage;
  }
  PluginCatalog catalog(context->dirs, HostFacts{});
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "VERSION", "ROLES", "PRIORITY", "CPYTHON", "LIBRARY"}};
  std::vector<std::string> problems;
  for (const std::string& path : catalog.libraries()) {
    auto library = catalog.open(path);
    if (!library) {
      problems.push_back(unreadable(catalog, path, library.error()));
      continue;
    }
    if (library->declined) {
      problems.push_back(
          "plugin library '" + path +
          "' declines to be inspected: " + library->decline_reason);
      continue;
    }
    for (const PluginDescriptor& plugin : library->plugins) {
      rows.push_back({plugin.name, plugin.version, role_names(plugin.roles),
                      std::to_string(plugin.default_priority),
                      cpython_versions(plugin), path});
    }
  }
  std::cout << "plugin search path:";
  for (const std::string& dir : context->dirs) std::cout << " " << dir;
  std::cout << "\n";
  if (rows.size() == 1) {
    std::cout << "no plugins found; add a directory with plugin_path in "
                 "pyhooks.toml or PYHOOKS_PLUGIN_PATH\n";
  } else {
    print_columns(std::cout, rows);
  }
  if (!problems.empty()) {
    std::cout << "\nlibraries that are not usable plugins:\n";
    for (const std::string& problem : problems) {
      std::cout << "  " << problem << "\n";
    }
  }
  return 0;
}

int inspect_command(const std::string& library_path,
                    const std::string& python) {
  std::error_code error;
  if (std::filesystem::is_directory(library_path, error)) {
    return usage_error("'" + library_path +
                       "' is a directory, not a plugin library; name the .so "
                       "file inside it");
  }
  if (!std::filesystem::is_regular_file(library_path, error)) {
    return usage_error("'" + library_path + "' does not exist");
  }
  HostFacts facts;
  if (!python.empty()) {
    auto interpreter = probe_interpreter(python);
    if (!interpreter) {
      return usage_error("--python: " + interpreter.error());
    }
    facts.python_version_hex = interpreter->hexversion;
    facts.python_build_tag = interpreter->soabi;
  }
  PluginCatalog catalog({}, facts);
  auto library = catalog.open(library_path);
  if (!library) {
    print_line("pyhooks: error: " +
               unreadable(catalog, library_path, library.error()));
    return kExitFailure;
  }
  std::string python_text = python.empty() ? "when inspected" : "on " + python;
  if (library->declined) {
    print_line("pyhooks: error: plugin library '" + library_path +
               "' declines to load " + python_text + ": " +
               library->decline_reason);
    return kExitFailure;
  }
  std::cout << "library: " << library->path << "\n"
            << "plugin ABI: " << library->abi_major << "." << library->abi_minor
            << " (this pyhooks provides " << PYHOOKS_ABI_MAJOR << "."
            << PYHOOKS_ABI_MINOR << ")\n"
            << "plugins: " << library->plugins.size() << "\n";
  for (const PluginDescriptor& plugin : library->plugins) {
    std::cout << "\n";
    print_descriptor(std::cout, plugin);
  }
  return 0;
}

}  // namespace pyhooks
