// plugins/support/output_files.h - where the outputs go, and writing them.
//
// Every output is written atomically: into an unnamed file (O_TMPFILE) in
// the target's directory that is named only once complete, so a kill during
// the write leaves the previous file or none, never a partial one, and no
// temporary file. An output given explicitly is written where the user said
// (replacing an existing file: that is what was asked for; link to a
// temporary name, then rename, with the termination signals held). Outputs
// left to their default go to one place: the directory pyhooks-profile/ in
// the working directory of start-up (made when first needed), one set per
// run, pyhooks-profile/run-N.prof / .svg / ..., N one more than the highest
// run there, so the newest run has the highest number. A default never
// replaces anything: the name is given with link(), which refuses an
// existing one (then the next N is used). When that directory cannot be
// written at exit, the defaults go to pyhooks-profile/ in the temporary
// directory instead. In every child process (forked or spawned) every name
// gets ".pid<PID>" before its extension, so that no two processes write the
// same file.
#pragma once

#include <string>

namespace pyhooks::support {

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

// "" if files can be created in `dir`, else why not.
std::string check_directory_writable(const std::string& dir);

// Where default names go when the start directory cannot take them: $TMPDIR
// (if absolute) or /tmp.
std::string fallback_directory();

inline constexpr const char* kDefaultDirectory = "pyhooks-profile";

// "<start_dir>/pyhooks-profile": where outputs left to their default go.
std::string default_directory(const std::string& start_dir);

// "" if default outputs can be written under `start_dir` (the directory
// exists and is writable, or can be made), else why not.
std::string check_default_directory(const std::string& start_dir);

// Makes the default directory if some output needs it, and returns the stem
// "<start_dir>/pyhooks-profile/run-N<suffix>" whose outputs (the enabled,
// not given ones among `specs`) do not exist yet, N one more than the
// highest run number there (children's files not counted).
std::string free_default_stem(const OutputSpec* const* specs, int count,
                              const std::string& start_dir,
                              const std::string& suffix);

// Writes `data` to `path` atomically; `exclusive`: fail (EEXIST) rather than
// replace. Returns "" or an error message (and sets *error_number to errno,
// if given).
std::string write_file(const std::string& path, const std::string& data,
                       bool exclusive, int* error_number = nullptr);

// `path` relative to `start_dir` when below it (for messages).
std::string shown_path(const std::string& path, const std::string& start_dir);

}  // namespace pyhooks::support
