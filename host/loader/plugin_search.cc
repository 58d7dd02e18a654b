// host/loader/plugin_search.cc - search path and lookup by name.
#include "plugin_search.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>

namespace pyhooks {

namespace fs = std::filesystem;

namespace {

bool looks_like_path(const std::string& target) {
  return target.find('/') != std::string::npos ||
         (target.size() > 3 &&
          target.compare(target.size() - 3, 3, ".so") == 0);
}

bool is_file(const fs::path& path) {
  std::error_code ignored;
  return fs::is_regular_file(path, ignored);
}

std::string names_of(const std::set<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text.empty() ? "none" : text;
}

std::string dirs_text(const std::vector<std::string>& dirs) {
  std::string text;
  for (const std::string& dir : dirs) {
    text += (text.empty() ? "" : ":") + dir;
  }
  return text.empty() ? "(empty)" : text;
}

Result<FoundPlugin> select_plugin(PluginLibrary library,
                                  const std::string& plugin_name) {
  if (library.declined) {
    return Error{
        "plugin library '" + library.path +
        "' declined to load on this Python: " + library.decline_reason};
  }
  if (!plugin_name.empty()) {
    for (size_t i = 0; i < library.plugins.size(); ++i) {
      if (library.plugins[i].name == plugin_name) {
        return FoundPlugin{std::move(library), i};
      }
    }
    std::set<std::string> names;
    for (const auto& plugin : library.plugins) names.insert(plugin.name);
    return Error{"plugin library '" + library.path + "' has no plugin '" +
                 plugin_name + "' (it has: " + names_of(names) + ")"};
  }
  if (library.plugins.size() == 1) {
    return FoundPlugin{std::move(library), 0};
  }
  std::set<std::string> names;
  for (const auto& plugin : library.plugins) names.insert(plugin.name);
  return Error{"plugin library '" + library.path + "' holds several plugins (" +
               names_of(names) + "); name the one to load"};
}

}  // namespace

std::string installed_plugin_dir(const void* anchor) {
  Dl_info info{};
  std::string file;
  if (dladdr(anchor, &info) != 0 && info.dli_fname != nullptr &&
      std::string(info.dli_fname).find('/') != std::string::npos) {
    file = info.dli_fname;
  } else {
    file = "/proc/self/exe";
  }
  std::error_code error;
  fs::path here = fs::canonical(file, error);
  if (error) {
    return {};
  }
  for (fs::path dir = here.parent_path(); dir.has_relative_path();
       dir = dir.parent_path()) {
    fs::path candidate = dir / "lib" / "pyhooks" / "plugins";
    if (fs::is_directory(candidate, error)) {
      return candidate.string();
    }
  }
  return {};
}

std::vector<std::string> plugin_search_dirs(
    const std::vector<std::string>& explicit_dirs,
    const std::string& installed_dir) {
  std::vector<std::string> dirs = explicit_dirs;
  if (const char* env = std::getenv("PYHOOKS_PLUGIN_PATH")) {
    std::string value = env;
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find(':', start);
      if (end == std::string::npos) end = value.size();
      if (end > start) dirs.push_back(value.substr(start, end - start));
      start = end + 1;
    }
  }
  if (!installed_dir.empty()) {
    dirs.push_back(installed_dir);
  }
  std::vector<std::string> unique;
  for (const std::string& dir : dirs) {
    if (std::find(unique.begin(), unique.end(), dir) == unique.end()) {
      unique.push_back(dir);
    }
  }
  return unique;
}

std::vector<std::string> libraries_in(const std::vector<std::string>& dirs) {
  std::vector<std::string> libraries;
  for (const std::string& dir : dirs) {
    std::error_code error;
    std::vector<std::string> here;
    for (fs::directory_iterator it(dir, error), end; !error && it != end;
         it.increment(error)) {
      const fs::path& path = it->path();
      if (path.extension() == ".so" && is_file(path)) {
        here.push_back(path.string());
      }
    }
    std::sort(here.begin(), here.end());
    libraries.insert(libraries.end(), here.begin(), here.end());
  }
  return libraries;
}

Result<FoundPlugin> find_plugin(const std::string& target,
                                const std::string& plugin_name,
                                const std::vector<std::string>& dirs,
                                const HostFacts& facts) {
  if (looks_like_path(target)) {
    if (!is_file(target)) {
      return Error{"plugin library '" + target + "' does not exist"};
    }
    auto library = open_plugin_library(target, facts);
    if (!library) {
      return Error{library.error()};
    }
    return select_plugin(std::move(library.value()), plugin_name);
  }
  const std::string& wanted = plugin_name.empty() ? target : plugin_name;
  for (const std::string& dir : dirs) {
    for (const std::string& file :
         {"pyhooks_" + target + ".so", target + ".so"}) {
      fs::path path = fs::path(dir) / file;
      if (!is_file(path)) {
        continue;
      }
      auto library = open_plugin_library(path.string(), facts);
      if (!library) {
        return Error{library.error()};
      }
      if (library->declined || library->find(wanted) != nullptr) {
        return select_plugin(std::move(library.value()), wanted);
      }
    }
  }
  std::set<std::string> available;
  for (const std::string& path : libraries_in(dirs)) {
    auto library = open_plugin_library(path, facts);
    if (!library || library->declined) {
      continue;
    }
    if (library->find(wanted) != nullptr) {
      return select_plugin(std::move(library.value()), wanted);
    }
    for (const auto& plugin : library->plugins) available.insert(plugin.name);
  }
  return Error{"no plugin named '" + wanted + "' in the plugin search path " +
               dirs_text(dirs) + " (available: " + names_of(available) +
               "); add its directory to plugin_path or PYHOOKS_PLUGIN_PATH"};
}

}  // namespace pyhooks
