// plugins/native_names/name_filter.h - which Python functions get a
// trampoline: the `include` / `exclude` globs.
//
// A pattern containing '/' or ending in ".py" is a filename glob, matched
// against the code object's full filename and its base name; any other
// pattern is matched against the qualified name (co_qualname, e.g. "fib",
// "Parser.*"). Globs are fnmatch(3) without flags. With `include` set, only
// matching code gets a trampoline; `exclude` wins over `include`. Code left
// out runs as if the plugin were absent (DISABLE: no cost after the first
// call) and appears in a native profile inside its caller.
#pragma once

#include <string>
#include <vector>

namespace native_names {

class NameFilter {
 public:
  // "" when accepted, else why not.
  std::string add(const std::string& pattern, bool include);
  bool wants(const std::string& qualname, const std::string& filename) const;

 private:
  struct Pattern {
    std::string glob;
    bool on_filename;
  };
  static bool matches(const Pattern& pattern, const std::string& qualname,
                      const std::string& filename);

  std::vector<Pattern> includes_;
  std::vector<Pattern> excludes_;
};

}  // namespace native_names
