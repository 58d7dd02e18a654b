// loader/descriptor_check.h - validating a library's descriptors.
//
// Turns the raw, untrusted pyhooks_library_desc a plugin returned into
// PluginDescriptor values, or explains in one line what is wrong with it.
#pragma once

#include <pyhooks/plugin.h>

#include <string>
#include <vector>

#include "library_image.h"
#include "plugin_library.h"
#include "result.h"

namespace pyhooks {

// Checks versions, sizes, names, roles, callbacks, options and that every
// pointer lies inside `image`. The error text does not name the file (the
// caller prefixes it).
Result<std::vector<PluginDescriptor>> check_library_descriptor(
    const pyhooks_library_desc* library, const LibraryImage& image,
    const HostFacts& facts);

}  // namespace pyhooks
