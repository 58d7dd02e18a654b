// cli/describe.h - plugin descriptors and chains as text, for `list`,
// `inspect` and `check`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "loader/plugin_library.h"
#include "loader/plugin_options.h"

namespace pyhooks {

// "3.11-3.13" for a plugin built only against plugin.h; "3.12 only
// (cpython-312-x86_64-linux-gnu)" for one that uses CPython internals.
std::string cpython_versions(const PluginDescriptor& plugin);

// `key = value, ...` ("none" when empty).
std::string options_text(const PluginOptions& options);

// Every field of one descriptor, indented, for `pyhooks inspect`.
void print_descriptor(std::ostream& out, const PluginDescriptor& plugin);

// Rows as left-aligned columns separated by two spaces.
void print_columns(std::ostream& out,
                   const std::vector<std::vector<std::string>>& rows);

}  // namespace pyhooks
