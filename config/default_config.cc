// config/default_config.cc - the embedded default configuration.
#include "default_config.h"

namespace pyhooks {

const char* const kDefaultConfigText =
    R"(# pyhooks built-in default configuration
[plugin.profiler]
required = false
)";

}  // namespace pyhooks
