// plugins/native_names/name_filter.cc - the include/exclude globs; rules in
// name_filter.h.
#include "name_filter.h"

#include <fnmatch.h>

namespace native_names {

std::string NameFilter::add(const std::string& pattern, bool include) {
  if (pattern.empty()) {
    return std::string(include ? "include" : "exclude") +
           ": an empty pattern matches nothing; remove it";
  }
  bool on_filename = pattern.find('/') != std::string::npos ||
                     (pattern.size() >= 3 &&
                      pattern.compare(pattern.size() - 3, 3, ".py") == 0);
  (include ? includes_ : excludes_).push_back(Pattern{pattern, on_filename});
  return "";
}

bool NameFilter::matches(const Pattern& pattern, const std::string& qualname,
                         const std::string& filename) {
  if (!pattern.on_filename) {
    return fnmatch(pattern.glob.c_str(), qualname.c_str(), 0) == 0;
  }
  if (fnmatch(pattern.glob.c_str(), filename.c_str(), 0) == 0) return true;
  size_t slash = filename.rfind('/');
  return slash != std::string::npos &&
         fnmatch(pattern.glob.c_str(), filename.c_str() + slash + 1, 0) == 0;
}

bool NameFilter::wants(const std::string& qualname,
                       const std::string& filename) const {
  for (const Pattern& pattern : excludes_) {
    if (matches(pattern, qualname, filename)) return false;
  }
  if (includes_.empty()) return true;
  for (const Pattern& pattern : includes_) {
    if (matches(pattern, qualname, filename)) return true;
  }
  return false;
}

}  // namespace native_names
