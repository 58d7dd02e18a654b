// plugins/support/function_registry.cc - interning functions by identity
// and caching per-file filter decisions (see function_registry.h).
#include "support/function_registry.h"

namespace pyhooks::support {

std::string FunctionInfo::label() const {
  if (builtin) return qualname;
  return qualname + " (" + display + ":" + std::to_string(first_line) + ")";
}

const FileFacts& FunctionRegistry::facts_for(const std::string& filename) {
  auto it = files_.find(filename);
  if (it == files_.end()) {
    it =
        files_.emplace(filename, filter_->classify(filename, start_dir_)).first;
    if (!it->second.included) ++excluded_files_;
  }
  return it->second;
}

uint32_t FunctionRegistry::intern(const pyhooks_code_info& info) {
  std::string filename = info.filename ? info.filename : "";
  const FileFacts& facts = facts_for(filename);
  if (!facts.included) return kNoFunction;

  std::string name = info.name ? info.name : "";
  std::string qualname = info.qualname && *info.qualname ? info.qualname : name;
  std::string identity = filename;
  identity += '\0';
  identity += std::to_string(info.first_line);
  identity += '\0';
  identity += name;
  identity += '\0';
  identity += qualname;
  auto found = by_identity_.find(identity);
  if (found != by_identity_.end()) return found->second;

  FunctionInfo function;
  function.name = std::move(name);
  function.qualname = std::move(qualname);
  function.filename = std::move(filename);
  function.display = facts.display;
  function.module = facts.module;
  function.first_line = info.first_line;
  function.generator = (info.flags & PYHOOKS_FRAME_GENERATOR) != 0;
  auto fid = static_cast<uint32_t>(functions_.size());
  functions_.push_back(std::move(function));
  by_identity_.emplace(std::move(identity), fid);
  return fid;
}

uint32_t FunctionRegistry::intern_builtin(const std::string& name) {
  std::string identity = std::string("~\0", 2) + name;
  auto found = by_identity_.find(identity);
  if (found != by_identity_.end()) return found->second;
  FunctionInfo function;
  function.name = name;
  // pstats' func_std_string shows "<...>" as "{...}".
  function.qualname =
      name.size() >= 2 && name.front() == '<' && name.back() == '>'
          ? "{" + name.substr(1, name.size() - 2) + "}"
          : name;
  function.filename = "~";
  function.display = "~";
  function.builtin = true;
  auto fid = static_cast<uint32_t>(functions_.size());
  functions_.push_back(std::move(function));
  by_identity_.emplace(std::move(identity), fid);
  return fid;
}

size_t FunctionRegistry::memory_bytes() const {
  size_t bytes = functions_.capacity() * sizeof(FunctionInfo);
  for (const FunctionInfo& function : functions_) {
    bytes += function.name.capacity() + function.qualname.capacity() +
             function.filename.capacity() + function.display.capacity() +
             function.module.capacity();
  }
  return bytes + by_identity_.size() * 96 + files_.size() * 128;
}

}  // namespace pyhooks::support
