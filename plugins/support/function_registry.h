// plugins/support/function_registry.h - the functions a plugin has seen, one
// id (fid) per distinct (filename, first line, name, qualname), with the
// names copied out of the code objects and the include/exclude decision.
//
// Code objects that die and come back with the same identity (a module
// re-imported, code exec'd in a loop) reuse their fid, so the tables grow with
// distinct functions, not with code objects created. Filter decisions are
// cached per filename.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "support/code_filter.h"

namespace pyhooks::support {

// What intern() returns for code whose file is filtered out.
inline constexpr uint32_t kNoFunction = 0xFFFFFFFFu;

struct FunctionInfo {
  std::string name;      // co_name (the pstats function name, as cProfile)
  std::string qualname;  // co_qualname (labels in stacks and the summary)
  std::string filename;  // co_filename
  std::string display;   // filename shortened for labels
  std::string module;    // guessed module name
  int32_t first_line = 0;
  bool generator = false;
  bool builtin = false;  // a C function: file "~", line 0, as cProfile

  // "qualname (display:line)": the frame label in stacks and the summary;
  // a C function's is its pstats display name, "{built-in method len}".
  std::string label() const;
};

class FunctionRegistry {
 public:
  FunctionRegistry(const CodeFilter* filter, std::string start_dir)
      : filter_(filter), start_dir_(std::move(start_dir)) {}

  // The fid for `info`, or kNoFunction when its file is filtered out.
  uint32_t intern(const pyhooks_code_info& info);
  // The fid for a C function named `name` as cProfile keys it
  // ("<built-in method time.sleep>"): pstats gets ('~', 0, name), labels
  // the name with {} for <> as pstats prints it.
  uint32_t intern_builtin(const std::string& name);

  const FunctionInfo& operator[](uint32_t fid) const { return functions_[fid]; }
  size_t size() const { return functions_.size(); }
  size_t excluded_files() const { return excluded_files_; }
  size_t memory_bytes() const;

 private:
  const FileFacts& facts_for(const std::string& filename);

  const CodeFilter* filter_;
  std::string start_dir_;
  std::vector<FunctionInfo> functions_;
  std::unordered_map<std::string, uint32_t> by_identity_;
  std::unordered_map<std::string, FileFacts> files_;
  size_t excluded_files_ = 0;
};

}  // namespace pyhooks::support
