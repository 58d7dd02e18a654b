// config/plugin_catalog.h - plugins as the `pyhooks` executable sees them.
//
// The CLI reads descriptors without starting Python (plugin ABI: the entry
// only fills static descriptors). A plugin that calls the Python C API has
// undefined Py* symbols. The loader binds lazily when only inspecting
// (HostFacts without a Python version), but binds everything when the CLI
// negotiates for a real interpreter (`pyhooks run`, `inspect --python`),
// which cannot succeed in a process without libpython. So the catalog first
// maps the library it reads (only that one) with RTLD_LAZY itself; the loader's
// own dlopen then finds it already loaded (glibc does not rebind a loaded
// object), and function symbols stay unresolved, as nothing here calls them. A
// library that needs Python *data* symbols (e.g. PyExc_ValueError) cannot be
// mapped outside Python at all: the catalog says which symbol, and `pyhooks
// run` leaves that plugin to the host.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "loader/plugin_library.h"
#include "loader/plugin_search.h"
#include "loader/result.h"

namespace pyhooks {

class PluginCatalog {
 public:
  // `dirs`: the full search path (see search_dirs below).
  PluginCatalog(std::vector<std::string> dirs, HostFacts facts);

  const std::vector<std::string>& dirs() const { return dirs_; }
  const HostFacts& facts() const { return facts_; }

  // find_plugin() over this catalog's directories.
  Result<FoundPlugin> find(const std::string& target,
                           const std::string& plugin_name) const;
  // open_plugin_library() for one file.
  Result<PluginLibrary> open(const std::string& path) const;
  // Every library in the search path, in search order.
  std::vector<std::string> libraries() const;

  // The Python symbol `path` needs but cannot get outside Python, if that
  // is why it cannot be opened here.
  std::optional<std::string> needs_python(const std::string& path) const;
  // The library file `target` would be read from (an explicit path, or
  // pyhooks_<name>.so / <name>.so in dirs; see parse_plugin_target).
  std::optional<std::string> library_file_for(
      const std::string& target, const std::string& plugin_name = "") const;

 private:
  void map_lazily(const std::string& path) const;

  std::vector<std::string> dirs_;
  HostFacts facts_;
  mutable std::map<std::string, std::string> unmappable_;  // path -> error
  mutable std::set<std::string> mapped_;                   // tried already
};

// The plugin search path the CLI and the host both use: `explicit_dirs`
// (config plugin_path), then $PYHOOKS_PLUGIN_PATH, then the installed
// plugin directory of the running `pyhooks` executable.
std::vector<std::string> search_dirs(
    const std::vector<std::string>& explicit_dirs);

}  // namespace pyhooks
