// plugins/profiler/profiler_options.cc - declaring and validating the
// profiler's options (see profiler_options.h).
#include "profiler_options.h"

#include <unistd.h>

#include <vector>

namespace profiler {

namespace {

using pyhooks::init_error;

std::string working_directory() {
  std::vector<char> buffer(4096);
  while (getcwd(buffer.data(), buffer.size()) == nullptr) {
    if (buffer.size() > (1u << 20)) {
      throw init_error("cannot determine the working directory");
    }
    buffer.resize(buffer.size() * 2);
  }
  std::string dir = buffer.data();
  return dir == "/" ? std::string() : dir;
}

void read_output(const pyhooks::option_reader& options, OutputSpec* spec,
                 const std::string& start_dir) {
  if (!options.configured(spec->option)) return;  // the default name
  std::string path = options.string(spec->option);
  if (path.empty()) {
    spec->enabled = false;
    return;
  }
  spec->enabled = true;  // collapsed is off unless given a path
  spec->given = true;
  spec->path = absolute_path(path, start_dir);
  std::string problem = check_writable(*spec);
  if (!problem.empty()) {
    throw init_error(std::string("option ") + spec->option + "=\"" + path +
                     "\": " + problem);
  }
}

void check_outputs(const ProfilerOptions& out) {
  const OutputSpec* specs[] = {&out.pstats, &out.collapsed, &out.svg,
                               &out.speedscope};
  const int count = sizeof(specs) / sizeof(specs[0]);
  for (const OutputSpec* spec : specs) {
    if (!spec->enabled || spec->given) continue;
    // A default name lands in pyhooks-profile/ in the start directory:
    // refuse now rather than lose the profile after the program ran.
    std::string problem = check_default_directory(out.start_dir);
    if (!problem.empty()) {
      throw init_error(std::string("the default ") + spec->option +
                       " file cannot be written: " + problem +
                       "; run from a writable directory, or give output=, "
                       "collapsed=, svg= and speedscope= paths (\"\" for "
                       "none)");
    }
    break;
  }
  for (int i = 0; i < count; ++i) {
    for (int j = i + 1; j < count; ++j) {
      if (specs[i]->given && specs[j]->given &&
          specs[i]->path == specs[j]->path) {
        throw init_error(std::string("options ") + specs[i]->option + " and " +
                         specs[j]->option + " name the same file " +
                         specs[i]->path + "; give each output its own file");
      }
    }
  }
}

void read_patterns(const pyhooks::option_reader& options, const char* name,
                   bool include, CodeFilter* filter) {
  for (const std::string& pattern : options.strings(name)) {
    std::string problem = filter->add(pattern, include);
    if (!problem.empty()) throw init_error("option " + problem);
  }
}

}  // namespace

ProfilerOptions read_options(const pyhooks::host& host) {
  pyhooks::option_reader options = host.options(kOptionDescs, kOptionCount);
  ProfilerOptions out;
  out.start_dir = working_directory();
  out.clock = options.choice("clock", {"wall", "cpu"},
                             "elapsed time, the default, or thread CPU "
                             "time") == 0
                  ? ClockKind::kWall
                  : ClockKind::kCpu;
  out.timer = options.choice("timer", {"auto", "clock_gettime"}) == 0
                  ? TimerChoice::kAuto
                  : TimerChoice::kClockGettime;
  for (OutputSpec* spec :
       {&out.pstats, &out.collapsed, &out.svg, &out.speedscope}) {
    read_output(options, spec, out.start_dir);
  }
  check_outputs(out);
  out.summary_rows = options.integer_in(
      "summary", 0, 100000, "give the number of rows to print (0 for none)");
  out.max_paths = static_cast<uint32_t>(options.integer_in(
      "max_paths", 2, int64_t{1} << 30, "call paths kept per thread"));
  out.per_thread = options.boolean("per_thread");
  out.builtins_asked = options.configured("builtins");
  out.builtins = options.boolean("builtins");
  const pyhooks_host_api& api = host.api();
  if (!PYHOOKS_API_HAS(&api, event_supported) ||
      api.event_supported(host.handle(), PYHOOKS_EVENT_C_CALL) != PYHOOKS_OK) {
    // 3.11: no C-call events. Off unless asked for, which cannot be done.
    if (out.builtins_asked && out.builtins) {
      throw init_error(
          "option builtins=true needs CPython 3.12 or newer (C calls come "
          "from sys.monitoring); this is CPython 3.11: remove the option, "
          "or set builtins=false");
    }
    out.builtins = false;
  }
  if (!out.builtins && PYHOOKS_API_HAS(&api, narrow_events)) {
    // No C-call events wanted: the host then never subscribes
    // sys.monitoring's CALL for this plugin (docs/profiler.md, Builtins).
    api.narrow_events(host.handle(), PYHOOKS_EVENTS_ALL);
  }
  read_patterns(options, "include", true, &out.filter);
  read_patterns(options, "exclude", false, &out.filter);
  return out;
}

}  // namespace profiler
