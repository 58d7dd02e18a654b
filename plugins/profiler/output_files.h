// plugins/profiler/output_files.h - where the outputs go, and writing them.
//
// An output given explicitly is written where the user said (replacing an
// existing file: that is what was asked for), atomically (a temporary file in
// the same directory, then rename). An output left to its default is written
// as pyhooks-profile.prof / .collapsed / .svg in the working directory of
// start-up, and never replaces anything: when any of those names exist, the
// next free pyhooks-profile.N.* set is used, and files are created with
// O_EXCL. In a forked child every name gets ".pid<PID>" before its extension,
// so that the child does not overwrite its parent's files.
#pragma once

#include <string>

namespace profiler {

struct OutputSpec {
  const char* option;     // option name, for messages
  const char* extension;  // ".prof", ".collapsed", ".svg"
  bool enabled = true;
  bool given = false;  // an explicit path
  std::string path;    // absolute, when given
};

// "dir/name.ext" -> "dir/name<suffix>.ext" ("dir/name" -> "dir/name<suffix>").
std::string with_suffix(const std::string& path, const std::string& suffix);

// Makes `path` absolute against `start_dir`.
std::string absolute_path(const std::string& path,
                          const std::string& start_dir);

// "" if `spec`'s explicit path can be written later, else why not.
std::string check_writable(const OutputSpec& spec);

// The default stem "<start_dir>/pyhooks-profile[.N]<suffix>" whose outputs
// (the enabled, not given ones among `specs`) do not exist yet.
std::string free_default_stem(const OutputSpec* const* specs, int count,
                              const std::string& start_dir,
                              const std::string& suffix);

// Writes `data` to `path`; `exclusive`: fail rather than replace. Returns ""
// or an error message (and sets *error_number to errno, if given).
std::string write_file(const std::string& path, const std::string& data,
                       bool exclusive, int* error_number = nullptr);

// `path` relative to `start_dir` when below it (for messages).
std::string shown_path(const std::string& path, const std::string& start_dir);

}  // namespace profiler
