// plugins/tracer/tracer_options.cc - declaring and validating the tracer's
// options (see tracer_options.h).
#include "tracer_options.h"

#include "trace_file.h"

#include <unistd.h>

#include <cmath>
#include <vector>

namespace tracer {

const pyhooks_option_desc kOptionDescs[] = {
    {"output", PYHOOKS_OPTION_STRING, "pyhooks-trace.perfetto-trace",
     "trace file: .perfetto-trace (Perfetto UI, trace_processor), .json or "
     ".json.gz (chrome://tracing)"},
    {"format", PYHOOKS_OPTION_STRING, "perfetto",
     "\"perfetto\" or \"json\", for an output name without those extensions"},
    {"mode", PYHOOKS_OPTION_STRING, "stream",
     "\"stream\" (written while running, nothing lost) or \"ring\" (keep "
     "the last buffer_size slices)"},
    {"buffer_size", PYHOOKS_OPTION_INT, "1000000",
     "slices the ring keeps in mode = \"ring\""},
    {"include", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "module or filename globs: record only matching code"},
    {"exclude", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "module or filename globs: never record matching code"},
    {"max_depth", PYHOOKS_OPTION_INT, "0",
     "record only the outermost N nested Python frames; 0 for all"},
    {"min_duration_us", PYHOOKS_OPTION_FLOAT, "0",
     "leave out slices shorter than this many microseconds"},
    {"ignore_frozen", PYHOOKS_OPTION_BOOL, "false",
     "leave out frozen code (<frozen importlib._bootstrap> and others)"},
    {"ignore_stdlib", PYHOOKS_OPTION_BOOL, "false",
     "leave out the standard library (and frozen code)"},
    {"summary", PYHOOKS_OPTION_BOOL, "true",
     "print one line on stderr at exit: slices, drops, file, how to open"},
    {"async_tracks", PYHOOKS_OPTION_BOOL, "false",
     "one track per asyncio task, named by the task's name, with the "
     "coroutine runs it drove"},
    {"merge", PYHOOKS_OPTION_BOOL, "false",
     "at exit, merge the traces of child processes (fork, subprocess, "
     "multiprocessing) into the program's, one process track each"},
};
const uint32_t kOptionCount = sizeof(kOptionDescs) / sizeof(kOptionDescs[0]);

namespace {

pyhooks_status fail(pyhooks_plugin* self, const std::string& message) {
  self->api->log(self, PYHOOKS_LOG_ERROR, message.c_str());
  return PYHOOKS_ERROR;
}

bool unexpected(pyhooks_status status) {
  return status != PYHOOKS_OK && status != PYHOOKS_E_NOT_FOUND;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

pyhooks_status read_string(pyhooks_plugin* self, const char* name,
                           std::string* out, bool* given) {
  const char* value = nullptr;
  pyhooks_status status = self->api->option_string(self, name, &value);
  if (unexpected(status)) {
    return fail(self, std::string("cannot read option '") + name +
                          "'; it must be a string");
  }
  *given = status == PYHOOKS_OK;
  if (*given) *out = value ? value : "";
  return PYHOOKS_OK;
}

pyhooks_status read_bool(pyhooks_plugin* self, const char* name, bool* out) {
  int32_t value = 0;
  pyhooks_status status = self->api->option_bool(self, name, &value);
  if (unexpected(status)) {
    return fail(self, std::string("cannot read option '") + name +
                          "'; it must be true or false");
  }
  if (status == PYHOOKS_OK) *out = value != 0;
  return PYHOOKS_OK;
}

pyhooks_status read_int(pyhooks_plugin* self, const char* name, int64_t min,
                        int64_t max, const char* what, int64_t* out) {
  int64_t value = 0;
  pyhooks_status status = self->api->option_int(self, name, &value);
  if (unexpected(status)) {
    return fail(self, std::string("cannot read option '") + name +
                          "'; it must be an integer");
  }
  if (status != PYHOOKS_OK) return PYHOOKS_OK;
  if (value < min || value > max) {
    return fail(self, std::string("option ") + name + "=" +
                          std::to_string(value) + " is out of range; give " +
                          what);
  }
  *out = value;
  return PYHOOKS_OK;
}

pyhooks_status read_patterns(pyhooks_plugin* self, const char* name,
                             bool include,
                             pyhooks::support::CodeFilter* filter) {
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

const char* default_extension(const TracerOptions& options) {
  return options.format == Format::kJson ? ".json" : ".perfetto-trace";
}

pyhooks_status read_options(pyhooks_plugin* self, TracerOptions* out) {
  std::vector<char> buffer(4096);
  while (getcwd(buffer.data(), buffer.size()) == nullptr) {
    if (buffer.size() > (1u << 20)) {
      return fail(self, "cannot determine the working directory");
    }
    buffer.resize(buffer.size() * 2);
  }
  out->start_dir = buffer.data();
  if (out->start_dir == "/") out->start_dir.clear();

  std::string format_text;
  bool format_given = false;
  if (read_string(self, "format", &format_text, &format_given) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  if (format_given) {
    if (format_text == "perfetto") {
      out->format = Format::kPerfetto;
    } else if (format_text == "json") {
      out->format = Format::kJson;
    } else {
      return fail(self, "option format=\"" + format_text +
                            "\" is not a format; use \"perfetto\" (the "
                            "default) or \"json\"");
    }
  }

  std::string output;
  if (read_string(self, "output", &output, &out->output_given) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  if (out->output_given) {
    if (output.empty()) {
      return fail(self,
                  "option output=\"\" names no file; give a file name "
                  "(or leave the option out for pyhooks-trace.perfetto-trace)");
    }
    Format by_name = out->format;
    bool named = true;
    if (ends_with(output, ".json.gz")) {
      by_name = Format::kJson;
      out->gzip = true;
    } else if (ends_with(output, ".json")) {
      by_name = Format::kJson;
    } else if (ends_with(output, ".perfetto-trace") ||
               ends_with(output, ".pftrace")) {
      by_name = Format::kPerfetto;
    } else if (ends_with(output, ".gz")) {
      return fail(self, "option output=\"" + output +
                            "\": only JSON is compressed; name it "
                            "*.json.gz, or *.perfetto-trace for Perfetto");
    } else {
      named = false;
    }
    if (named && format_given && by_name != out->format) {
      return fail(self, "option format=\"" + format_text +
                            "\" contradicts output=\"" + output +
                            "\"; drop one of them");
    }
    out->format = by_name;
    if (out->gzip && !tracer::TraceFile::gzip_available()) {
      return fail(self, "option output=\"" + output +
                            "\": this build has no zlib; write .json "
                            "instead");
    }
    out->output = output[0] == '/' || out->start_dir.empty()
                      ? output
                      : out->start_dir + "/" + output;
  }

  std::string mode;
  bool mode_given = false;
  if (read_string(self, "mode", &mode, &mode_given) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  if (mode_given) {
    if (mode == "stream") {
      out->mode = Mode::kStream;
    } else if (mode == "ring") {
      out->mode = Mode::kRing;
    } else {
      return fail(self, "option mode=\"" + mode +
                            "\" is not a mode; use \"stream\" (the default) "
                            "or \"ring\"");
    }
  }

  int64_t buffer_size = static_cast<int64_t>(out->buffer_size);
  if (read_int(self, "buffer_size", 1, int64_t{1} << 32,
               "the number of slices the ring keeps (at least 1)",
               &buffer_size) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  out->buffer_size = static_cast<uint64_t>(buffer_size);

  int64_t max_depth = 0;
  if (read_int(self, "max_depth", 0, 1000000,
               "a frame depth (0 records every depth)",
               &max_depth) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  out->max_depth = static_cast<uint32_t>(max_depth);

  double min_us = 0;
  pyhooks_status status =
      self->api->option_float(self, "min_duration_us", &min_us);
  if (unexpected(status)) {
    return fail(self,
                "cannot read option 'min_duration_us'; it must be a number");
  }
  if (status == PYHOOKS_OK) {
    if (!(min_us >= 0) || min_us > 1e12) {
      return fail(self, "option min_duration_us=" + std::to_string(min_us) +
                            " is out of range; give microseconds (0 keeps "
                            "every slice)");
    }
    out->min_duration_ns = static_cast<uint64_t>(std::llround(min_us * 1000));
  }

  if (read_bool(self, "ignore_frozen", &out->ignore_frozen) != PYHOOKS_OK ||
      read_bool(self, "ignore_stdlib", &out->ignore_stdlib) != PYHOOKS_OK ||
      read_bool(self, "summary", &out->summary) != PYHOOKS_OK ||
      read_bool(self, "async_tracks", &out->async_tracks) != PYHOOKS_OK ||
      read_bool(self, "merge", &out->merge) != PYHOOKS_OK ||
      read_patterns(self, "include", true, &out->filter) != PYHOOKS_OK ||
      read_patterns(self, "exclude", false, &out->filter) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  return PYHOOKS_OK;
}

}  // namespace tracer
