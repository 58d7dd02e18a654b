// plugins/profiler/support_names.h - the plugin toolkit's names the profiler
// uses (plugins/support/), visible unqualified in namespace profiler.
#pragma once

#include "support/clock.h"
#include "support/code_filter.h"
#include "support/flat_map.h"
#include "support/function_registry.h"
#include "support/output_files.h"
#include "support/process_identity.h"

namespace profiler {

using pyhooks::support::absolute_path;
using pyhooks::support::check_default_directory;
using pyhooks::support::check_directory_writable;
using pyhooks::support::check_writable;
using pyhooks::support::Clock;
using pyhooks::support::clock_name;
using pyhooks::support::ClockKind;
using pyhooks::support::CodeFilter;
using pyhooks::support::command_line;
using pyhooks::support::fallback_directory;
using pyhooks::support::FileFacts;
using pyhooks::support::FlatMap;
using pyhooks::support::free_default_stem;
using pyhooks::support::FunctionInfo;
using pyhooks::support::FunctionRegistry;
using pyhooks::support::is_program_process;
using pyhooks::support::kNoFunction;
using pyhooks::support::OutputSpec;
using pyhooks::support::read_clock;
using pyhooks::support::shown_path;
using pyhooks::support::TimerChoice;
using pyhooks::support::with_suffix;
using pyhooks::support::write_file;

}  // namespace profiler
