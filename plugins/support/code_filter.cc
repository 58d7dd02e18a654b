// plugins/support/code_filter.cc - module-name guessing and glob matching
// for the include/exclude options (rules in code_filter.h).
#include "support/code_filter.h"

#include <fnmatch.h>

namespace pyhooks::support {

namespace {

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The path below start_dir, or "" when it is not below it.
std::string below(const std::string& path, const std::string& start_dir) {
  if (start_dir.empty() || path.size() <= start_dir.size() + 1 ||
      !starts_with(path, start_dir) || path[start_dir.size()] != '/') {
    return "";
  }
  return path.substr(start_dir.size() + 1);
}

// The part of `path` after the last ".../lib/pythonX.Y/", or "".
std::string after_stdlib(const std::string& path) {
  size_t at = path.rfind("/lib/python");
  if (at == std::string::npos) return "";
  size_t slash = path.find('/', at + 11);
  return slash == std::string::npos ? "" : path.substr(slash + 1);
}

std::string after_packages(const std::string& path) {
  size_t best = std::string::npos;
  size_t length = 0;
  for (const char* marker : {"/site-packages/", "/dist-packages/"}) {
    size_t at = path.rfind(marker);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      length = std::string(marker).size();
    }
  }
  return best == std::string::npos ? "" : path.substr(best + length);
}

std::vector<std::string> split_dots(const std::string& dotted) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t end = dotted.find('.', start);
    if (end == std::string::npos) end = dotted.size();
    if (end > start) parts.push_back(dotted.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

std::string guess_module(const std::string& filename,
                         const std::string& start_dir) {
  if (starts_with(filename, "<frozen ") && ends_with(filename, ">")) {
    return filename.substr(8, filename.size() - 9);
  }
  if (filename.empty() || filename[0] == '<') {
    return filename;
  }
  std::string path = after_packages(filename);
  if (path.empty()) path = after_stdlib(filename);
  if (path.empty()) path = below(filename, start_dir);
  if (path.empty()) path = filename;
  for (const char* suffix : {".py", ".pyw", ".pyc"}) {
    if (ends_with(path, suffix)) {
      path.resize(path.size() - std::string(suffix).size());
      break;
    }
  }
  if (ends_with(path, "/__init__")) path.resize(path.size() - 9);
  while (starts_with(path, "./")) path.erase(0, 2);
  while (!path.empty() && path[0] == '/') path.erase(0, 1);
  for (char& c : path) {
    if (c == '/') c = '.';
  }
  return path;
}

std::string display_path(const std::string& filename,
                         const std::string& start_dir) {
  std::string shorter = below(filename, start_dir);
  if (shorter.empty()) shorter = after_packages(filename);
  if (shorter.empty()) shorter = after_stdlib(filename);
  return shorter.empty() ? filename : shorter;
}

std::string CodeFilter::add(const std::string& pattern, bool include) {
  if (pattern.empty()) {
    return std::string("an empty pattern in '") +
           (include ? "include" : "exclude") +
           "'; give a module glob such as \"myapp.*\" or a filename glob "
           "such as \"*/site-packages/*\"";
  }
  bool filename =
      pattern.find('/') != std::string::npos || ends_with(pattern, ".py");
  (include ? includes_ : excludes_).push_back(Pattern{pattern, filename});
  return "";
}

bool CodeFilter::matches(const Pattern& pattern, const Subject& subject) {
  const char* glob = pattern.glob.c_str();
  if (pattern.filename) {
    return fnmatch(glob, subject.full.c_str(), 0) == 0 ||
           (!subject.relative.empty() &&
            fnmatch(glob, subject.relative.c_str(), 0) == 0) ||
           fnmatch(glob, subject.base.c_str(), 0) == 0;
  }
  for (const std::string& module : subject.modules) {
    if (fnmatch(glob, module.c_str(), 0) == 0) return true;
  }
  return false;
}

FileFacts CodeFilter::classify(const std::string& filename,
                               const std::string& start_dir) const {
  FileFacts facts;
  facts.module = guess_module(filename, start_dir);
  facts.display = display_path(filename, start_dir);
  if (empty()) return facts;

  Subject subject;
  subject.full = filename;
  subject.relative = below(filename, start_dir);
  size_t slash = filename.rfind('/');
  subject.base =
      slash == std::string::npos ? filename : filename.substr(slash + 1);
  std::vector<std::string> parts = split_dots(facts.module);
  for (size_t first = 0; first < parts.size(); ++first) {
    std::string run;
    for (size_t last = first; last < parts.size(); ++last) {
      run += (last == first ? "" : ".") + parts[last];
      subject.modules.push_back(run);
    }
  }
  if (parts.empty()) subject.modules.push_back(facts.module);

  bool included = includes_.empty();
  for (const Pattern& pattern : includes_) {
    if (matches(pattern, subject)) {
      included = true;
      break;
    }
  }
  for (const Pattern& pattern : excludes_) {
    if (included && matches(pattern, subject)) included = false;
  }
  facts.included = included;
  return facts;
}

bool is_stdlib_file(const std::string& filename) {
  if (starts_with(filename, "<frozen ")) return true;
  return !after_stdlib(filename).empty() && after_packages(filename).empty();
}

}  // namespace pyhooks::support
