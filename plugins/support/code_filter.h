// plugins/support/code_filter.h - which code a plugin measures: the
// `include`/`exclude` globs, matched against a code object's filename and a
// module name guessed from that filename.
//
// Rules (docs/profiler.md, "Filters"):
//  - A pattern containing '/' or ending in ".py" is a filename glob, matched
//    against the full filename, the filename relative to the start-up
//    directory, and the base name. Any other pattern is a module glob.
//  - The module name is guessed from the path without Python: the part after
//    the last site-packages/ or dist-packages/, else after lib/pythonX.Y/,
//    else relative to the start-up directory, else the whole path; ".py" and
//    "/__init__" dropped, '/' read as '.'; "<frozen importlib._bootstrap>"
//    is module "importlib._bootstrap". Because the import root is not known,
//    a module glob matches when it matches any run of consecutive dotted
//    components: "json" matches json and json.decoder; "decoder" matches
//    json.decoder; "myapp.*" matches myapp.models.
//  - Globs are fnmatch(3) without flags: '*' also matches '/' and '.'.
//  - With `include` set, only matching code is measured; `exclude` wins over
//    `include`.
#pragma once

#include <string>
#include <vector>

namespace pyhooks::support {

// What a plugin derives from a code object's filename.
struct FileFacts {
  std::string module;   // guessed dotted module name
  std::string display;  // short form for labels (relative when possible)
  bool included = true;
};

class CodeFilter {
 public:
  // Returns an error message, or "" when the pattern is accepted.
  std::string add(const std::string& pattern, bool include);

  bool empty() const { return includes_.empty() && excludes_.empty(); }
  size_t include_count() const { return includes_.size(); }
  size_t exclude_count() const { return excludes_.size(); }

  // Classifies one filename (start_dir: the working directory at start-up,
  // without a trailing '/').
  FileFacts classify(const std::string& filename,
                     const std::string& start_dir) const;

 private:
  struct Pattern {
    std::string glob;
    bool filename;  // a filename glob, else a module glob
  };
  struct Subject {
    std::string full, relative, base;
    std::vector<std::string> modules;  // every run of dotted components
  };
  static bool matches(const Pattern& pattern, const Subject& subject);

  std::vector<Pattern> includes_;
  std::vector<Pattern> excludes_;
};

std::string guess_module(const std::string& filename,
                         const std::string& start_dir);
std::string display_path(const std::string& filename,
                         const std::string& start_dir);

// A file of the standard library: "<frozen ...>", or below lib/pythonX.Y/
// and not in site-packages/dist-packages.
bool is_stdlib_file(const std::string& filename);

}  // namespace pyhooks::support
