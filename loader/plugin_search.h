// loader/plugin_search.h - where plugins are found, and finding one by
// name.
//
// Search order: directories given explicitly (config `plugin_path`, the
// Python API), then $PYHOOKS_PLUGIN_PATH (colon-separated), then the
// installed tree's lib/pyhooks/plugins. A plugin named N is looked up by
// file name only, as pyhooks_N.so / N.so in each directory: no other library
// is opened (plugin ABI policy LOADER-2). A plugin inside a library of
// another name is selected as LIBRARY:NAME (LIBRARY a name or a path).
#pragma once

#include <string>
#include <vector>

#include "plugin_library.h"
#include "result.h"

namespace pyhooks {

// The installed plugin directory, derived from the location of the file
// that contains `anchor` (this library's own code): <prefix>/lib/pyhooks/...
// or <prefix>/bin/... both map to <prefix>/lib/pyhooks/plugins.
std::string installed_plugin_dir(const void* anchor);

std::vector<std::string> plugin_search_dirs(
    const std::vector<std::string>& explicit_dirs,
    const std::string& installed_dir);

// Every *.so file in one directory (symlinks included), sorted.
std::vector<std::string> library_files_in(const std::string& dir);

// Every shared object in `dirs`, sorted per directory; a symlink to a file
// also in `dirs` is left out (the library is listed once).
std::vector<std::string> libraries_in(const std::vector<std::string>& dirs);

struct FoundPlugin {
  PluginLibrary library;
  size_t index = 0;  // into library.plugins
  const PluginDescriptor& descriptor() const { return library.plugins[index]; }
};

// A load target split into its library and plugin parts: "NAME",
// "LIBRARY:NAME" (LIBRARY a name or a path), or a path. The ':' form is not
// split when the whole target is an existing file. `plugin_name` (the
// config table's or the Python API's name=) must agree with a ':' name.
struct PluginTarget {
  std::string library;   // a library name (searched) or a path (used as is)
  std::string plugin;    // empty: the library's only plugin, or its name
  bool is_path = false;  // contains '/' or ends in .so
};
Result<PluginTarget> parse_plugin_target(const std::string& target,
                                         const std::string& plugin_name);

// `target` as parse_plugin_target() reads it. A path is used exactly as
// given, relative to the current directory (never a dynamic-linker search).
// For a library holding several plugins, `plugin_name` selects one (empty:
// the library must hold exactly one, or one named like the file).
Result<FoundPlugin> find_plugin(const std::string& target,
                                const std::string& plugin_name,
                                const std::vector<std::string>& dirs,
                                const HostFacts& facts);

}  // namespace pyhooks
