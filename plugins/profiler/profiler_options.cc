// plugins/profiler/profiler_options.cc - declaring and validating the
// profiler's options (see profiler_options.h).
#include "profiler_options.h"

#include <unistd.h>

#include <vector>

namespace profiler {

const pyhooks_option_desc kOptionDescs[] = {
    {"output", PYHOOKS_OPTION_STRING, "pyhooks-profile.prof",
     "pstats file (python -m pstats, snakeviz, gprof2dot); \"\" for none"},
    {"collapsed", PYHOOKS_OPTION_STRING, "pyhooks-profile.collapsed",
     "collapsed stacks (flamegraph.pl, speedscope); \"\" for none"},
    {"svg", PYHOOKS_OPTION_STRING, "pyhooks-profile.svg",
     "SVG flamegraph to open in a browser; \"\" for none"},
    {"clock", PYHOOKS_OPTION_STRING, "wall",
     "\"wall\" (elapsed time) or \"cpu\" (the thread's CPU time)"},
    {"include", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "module or filename globs: measure only matching code"},
    {"exclude", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "module or filename globs: never measure matching code"},
    {"summary", PYHOOKS_OPTION_INT, "20",
     "rows per table printed on stderr at exit; 0 for no summary"},
    {"per_thread", PYHOOKS_OPTION_BOOL, "false",
     "also write one pstats file per thread, and a frame per thread in the "
     "stacks"},
};
const uint32_t kOptionCount = sizeof(kOptionDescs) / sizeof(kOptionDescs[0]);

namespace {

pyhooks_status fail(pyhooks_plugin* self, const std::string& message) {
  self->api->log(self, PYHOOKS_LOG_ERROR, message.c_str());
  return PYHOOKS_ERROR;
}

// E_NOT_FOUND (not configured) is fine; anything else is a host problem.
bool unexpected(pyhooks_status status) {
  return status != PYHOOKS_OK && status != PYHOOKS_E_NOT_FOUND;
}

pyhooks_status read_output(pyhooks_plugin* self, OutputSpec* spec,
                           const std::string& start_dir) {
  const char* value = nullptr;
  pyhooks_status status = self->api->option_string(self, spec->option, &value);
  if (unexpected(status)) {
    return fail(self, std::string("cannot read option '") + spec->option +
                          "'; it must be a string (a file name)");
  }
  if (status == PYHOOKS_E_NOT_FOUND) return PYHOOKS_OK;  // the default
  std::string path = value ? value : "";
  if (path.empty()) {
    spec->enabled = false;
    return PYHOOKS_OK;
  }
  spec->given = true;
  spec->path = absolute_path(path, start_dir);
  std::string problem = check_writable(*spec);
  if (!problem.empty()) {
    return fail(self, std::string("option ") + spec->option + "=\"" + path +
                          "\": " + problem);
  }
  return PYHOOKS_OK;
}

pyhooks_status read_patterns(pyhooks_plugin* self, const char* name,
                             bool include, CodeFilter* filter) {
  uint32_t count = 0;
  pyhooks_status status = self->api->option_list_count(self, name, &count);
  if (status == PYHOOKS_E_NOT_FOUND) return PYHOOKS_OK;
  if (status != PYHOOKS_OK) {
    return fail(self, std::string("cannot read option '") + name +
                          "'; it must be a list of glob strings");
  }
  for (uint32_t i = 0; i < count; ++i) {
    const char* item = nullptr;
    if (self->api->option_list_item(self, name, i, &item) != PYHOOKS_OK) {
      return fail(self, std::string("cannot read item ") + std::to_string(i) +
                            " of option '" + name + "'");
    }
    std::string problem = filter->add(item ? item : "", include);
    if (!problem.empty()) return fail(self, "option " + problem);
  }
  return PYHOOKS_OK;
}

}  // namespace

pyhooks_status read_options(pyhooks_plugin* self, ProfilerOptions* out) {
  const pyhooks_host_api* api = self->api;
  std::vector<char> buffer(4096);
  while (getcwd(buffer.data(), buffer.size()) == nullptr) {
    if (buffer.size() > (1u << 20)) {
      return fail(self, "cannot determine the working directory");
    }
    buffer.resize(buffer.size() * 2);
  }
  out->start_dir = buffer.data();
  if (out->start_dir == "/") out->start_dir.clear();

  const char* clock = nullptr;
  pyhooks_status status = api->option_string(self, "clock", &clock);
  if (unexpected(status)) {
    return fail(self, "cannot read option 'clock'; use \"wall\" or \"cpu\"");
  }
  if (status == PYHOOKS_OK) {
    std::string value = clock ? clock : "";
    if (value == "wall") {
      out->clock = ClockKind::kWall;
    } else if (value == "cpu") {
      out->clock = ClockKind::kCpu;
    } else {
      return fail(self, "option clock=\"" + value +
                            "\" is not a clock; use \"wall\" (elapsed time, "
                            "the default) or \"cpu\" (thread CPU time)");
    }
  }

  for (OutputSpec* spec : {&out->pstats, &out->collapsed, &out->svg}) {
    if (read_output(self, spec, out->start_dir) != PYHOOKS_OK) {
      return PYHOOKS_ERROR;
    }
  }
  const OutputSpec* specs[] = {&out->pstats, &out->collapsed, &out->svg};
  for (const OutputSpec* spec : specs) {
    if (!spec->enabled || spec->given) continue;
    // A default name lands in the start directory: refuse now rather than
    // lose the profile after the program ran.
    std::string dir = out->start_dir.empty() ? "/" : out->start_dir;
    std::string problem = check_directory_writable(dir);
    if (!problem.empty()) {
      return fail(self, std::string("the default ") + spec->option +
                            " file cannot be written: " + problem +
                            "; run from a writable directory, or give "
                            "output=, collapsed= and svg= paths (\"\" for "
                            "none)");
    }
    break;
  }
  for (int i = 0; i < 3; ++i) {
    for (int j = i + 1; j < 3; ++j) {
      if (specs[i]->given && specs[j]->given &&
          specs[i]->path == specs[j]->path) {
        return fail(self, std::string("options ") + specs[i]->option + " and " +
                              specs[j]->option + " name the same file " +
                              specs[i]->path +
                              "; give each output its own file");
      }
    }
  }

  int64_t rows = 0;
  status = api->option_int(self, "summary", &rows);
  if (unexpected(status)) {
    return fail(self, "cannot read option 'summary'; it must be an integer");
  }
  if (status == PYHOOKS_OK) {
    if (rows < 0 || rows > 100000) {
      return fail(self, "option summary=" + std::to_string(rows) +
                            " is out of range; give the number of rows to "
                            "print (0 for no summary)");
    }
    out->summary_rows = rows;
  }

  int32_t per_thread = 0;
  status = api->option_bool(self, "per_thread", &per_thread);
  if (unexpected(status)) {
    return fail(self, "cannot read option 'per_thread'; it must be a boolean");
  }
  out->per_thread = per_thread != 0;

  if (read_patterns(self, "include", true, &out->filter) != PYHOOKS_OK ||
      read_patterns(self, "exclude", false, &out->filter) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  return PYHOOKS_OK;
}

}  // namespace profiler
