// config/default_config.h - the configuration used when there is no file.
#pragma once

namespace pyhooks {

// TOML text, shown by `pyhooks check` and documented in docs/config.md.
// It enables the profiler that pyhooks ships, as optional: when the profiler
// is not installed, `pyhooks run` warns once and runs the program without it.
extern const char* const kDefaultConfigText;

}  // namespace pyhooks
