// host/loader/plugin_search.h - where plugins are found, and finding one by
// name.
//
// Search order: directories given explicitly (config `plugin_path`, the
// Python API), then $PYHOOKS_PLUGIN_PATH (colon-separated), then the
// installed tree's lib/pyhooks/plugins. A plugin named N is looked up first
// as pyhooks_N.so / N.so in each directory, then by reading the descriptors
// of every library in the search path.
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

// Every shared object in `dirs`, sorted per directory.
std::vector<std::string> libraries_in(const std::vector<std::string>& dirs);

struct FoundPlugin {
  PluginLibrary library;
  size_t index = 0;  // into library.plugins
  const PluginDescriptor& descriptor() const { return library.plugins[index]; }
};

// `target` is a plugin name, or a path to a library (contains a '/' or ends
// in .so). For a library holding several plugins, `plugin_name` selects one
// (empty: the library must hold exactly one, or one named like the file).
Result<FoundPlugin> find_plugin(const std::string& target,
                                const std::string& plugin_name,
                                const std::vector<std::string>& dirs,
                                const HostFacts& facts);

}  // namespace pyhooks
