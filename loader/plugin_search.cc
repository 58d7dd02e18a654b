// loader/plugin_search.cc - search path and lookup by name.
#include "plugin_search.h"

#include "loader/name_suggestion.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <set>
#include <system_error>

namespace pyhooks {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& path) {
  std::error_code ignored;
  return fs::is_regular_file(path, ignored);
}

bool is_a_directory(const fs::path& path) {
  std::error_code ignored;
  return fs::is_directory(path, ignored);
}

std::string names_of(const std::set<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text.empty() ? "none" : text;
}

// pyhooks_x.so / x.so -> x: the names a library is found by.
std::set<std::string> file_names_in(const std::vector<std::string>& dirs) {
  std::set<std::string> names;
  for (const std::string& dir : dirs) {
    for (const std::string& path : library_files_in(dir)) {
      std::string stem = fs::path(path).stem().string();
      names.insert(stem.rfind("pyhooks_", 0) == 0 ? stem.substr(8) : stem);
    }
  }
  return names;
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
               names_of(names) + "); name the one to load, as " + library.path +
               ":NAME"};
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

std::vector<std::string> library_files_in(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    const fs::path& path = it->path();
    if (path.extension() == ".so" && is_file(path)) {
      files.push_back(path.string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> libraries_in(const std::vector<std::string>& dirs) {
  // A library reachable under several names (a symlink beside its file) is
  // listed once, by its file's own name where that is in the path.
  std::vector<std::string> files;
  for (const std::string& dir : dirs) {
    std::vector<std::string> here = library_files_in(dir);
    files.insert(files.end(), here.begin(), here.end());
  }
  std::set<std::string> real_files;
  for (const std::string& file : files) {
    std::error_code error;
    if (!fs::is_symlink(file, error)) {
      real_files.insert(fs::weakly_canonical(file, error).string());
    }
  }
  std::vector<std::string> libraries;
  std::set<std::string> seen;
  for (const std::string& file : files) {
    std::error_code error;
    std::string real = fs::weakly_canonical(file, error).string();
    bool alias = fs::is_symlink(file, error) && real_files.count(real) != 0;
    if (!alias && seen.insert(real).second) {
      libraries.push_back(file);
    }
  }
  return libraries;
}

Result<PluginTarget> parse_plugin_target(const std::string& target,
                                         const std::string& plugin_name) {
  if (target.find('\0') != std::string::npos ||
      plugin_name.find('\0') != std::string::npos) {
    // A C string would end there and name another file (LOADER-6).
    return Error{"plugin target '" + target.substr(0, target.find('\0')) +
                 "...' contains a NUL character; remove it"};
  }
  PluginTarget parsed{target, plugin_name, false};
  size_t colon = target.rfind(':');
  if (colon != std::string::npos && colon > 0 && colon + 1 < target.size() &&
      target.find('/', colon) == std::string::npos && !is_file(target)) {
    std::string named = target.substr(colon + 1);
    if (!plugin_name.empty() && plugin_name != named) {
      return Error{"'" + target + "' names plugin '" + named +
                   "', but plugin '" + plugin_name +
                   "' is asked for; name it once"};
    }
    parsed.library = target.substr(0, colon);
    parsed.plugin = named;
  }
  const std::string& library = parsed.library;
  parsed.is_path = library.find('/') != std::string::npos ||
                   (library.size() > 3 &&
                    library.compare(library.size() - 3, 3, ".so") == 0);
  return parsed;
}

Result<FoundPlugin> find_plugin(const std::string& target,
                                const std::string& plugin_name,
                                const std::vector<std::string>& dirs,
                                const HostFacts& facts) {
  auto parsed = parse_plugin_target(target, plugin_name);
  if (!parsed) {
    return Error{parsed.error()};
  }
  const std::string& library_name = parsed->library;
  if (parsed->is_path) {
    // A path is that file, relative to the current directory: never a
    // search (LOADER-5).
    if (is_a_directory(library_name)) {
      return Error{"plugin library '" + library_name +
                   "' is a directory, not a plugin library; name the .so "
                   "file inside it"};
    }
    if (!is_file(library_name)) {
      std::error_code error;
      bool exists = fs::exists(fs::symlink_status(library_name, error));
      bool relative = fs::path(library_name).is_relative();
      return Error{"plugin library '" + library_name + "' " +
                   (exists     ? "is not a regular file"
                    : relative ? "does not exist (a path is used as given, "
                                 "relative to the current directory)"
                               : "does not exist")};
    }
    auto library = open_plugin_library(library_name, facts);
    if (!library) {
      return Error{library.error()};
    }
    return select_plugin(std::move(library.value()), parsed->plugin);
  }
  // By file name only (LOADER-2): no other library in the path is opened.
  const std::string& wanted =
      parsed->plugin.empty() ? library_name : parsed->plugin;
  std::optional<Error> mismatch;
  std::string note;
  for (const std::string& dir : dirs) {
    for (const std::string& file :
         {"pyhooks_" + library_name + ".so", library_name + ".so"}) {
      fs::path path = fs::path(dir) / file;
      if (is_a_directory(path)) {
        note = note.empty() ? "; '" + path.string() +
                                  "' is a directory, not a plugin library"
                            : note;
        continue;
      }
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
      if (!mismatch) {
        mismatch =
            Error{select_plugin(std::move(library.value()), wanted).error() +
                  "; select one of them as " + library_name + ":NAME"};
      }
    }
  }
  if (mismatch) {
    return *mismatch;
  }
  std::set<std::string> found = file_names_in(dirs);
  std::string guess = closest_name(
      wanted, std::vector<std::string>(found.begin(), found.end()));
  if (!guess.empty()) guess = " (did you mean '" + guess + "'?)";
  return Error{"no plugin named '" + wanted + "'" + guess +
               " in the plugin search path " + dirs_text(dirs) +
               " (libraries there: " + names_of(found) + ")" + note +
               "; a plugin is found by its library's file name, pyhooks_" +
               wanted + ".so or " + wanted +
               ".so (one in a library of another name is selected as "
               "LIBRARY:NAME); add its directory to plugin_path or "
               "PYHOOKS_PLUGIN_PATH"};
}

}  // namespace pyhooks
