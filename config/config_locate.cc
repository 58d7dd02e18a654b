// config/config_locate.cc - finding and reading the configuration file.
#include "config_locate.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "config_parse.h"
#include "default_config.h"

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

bool is_pyproject(const std::string& file) {
  return fs::path(file).filename() == "pyproject.toml";
}

std::string absolute_dir_of(const std::string& file) {
  std::error_code error;
  fs::path path = fs::absolute(file, error);
  return (error ? fs::path(file) : path).parent_path().lexically_normal();
}

// Reads `file` (shown as `file`); `named_by` says who named it, for a
// missing file ("--config", "PYHOOKS_CONFIG"), or is empty.
Result<std::optional<Config>> read_config(const std::string& file,
                                          const std::string& named_by) {
  std::error_code error;
  if (!fs::is_regular_file(file, error)) {
    std::string problem =
        fs::exists(file, error) ? "is not a regular file" : "does not exist";
    return located_error({}, "config file '" + file + "' (named by " +
                                 named_by + ") " + problem);
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return located_error({}, "cannot read config file '" + file + "'");
  }
  ConfigText source;
  source.text = text.str();
  source.file = file;
  source.base_dir = absolute_dir_of(file);
  source.origin = is_pyproject(file) ? ConfigOrigin::kPyprojectToml
                                     : ConfigOrigin::kPyhooksToml;
  return parse_config(source);
}

Result<Config> named_config(const std::string& file,
                            const std::string& named_by) {
  auto config = read_config(file, named_by);
  if (!config) {
    return Error{config.error()};
  }
  if (!config->has_value()) {
    return located_error({}, "'" + file + "' (named by " + named_by +
                                 ") has no [tool.pyhooks] table");
  }
  return std::move(config->value());
}

}  // namespace

Config default_config() {
  ConfigText source;
  source.text = kDefaultConfigText;
  source.origin = ConfigOrigin::kEmbeddedDefault;
  std::error_code error;
  source.base_dir = fs::current_path(error).string();
  auto config = parse_config(source);
  // The text is a constant that tests/cli parse; it cannot fail here.
  return config && config->has_value() ? std::move(config->value()) : Config{};
}

std::vector<std::string> search_dirs_upwards(const std::string& start) {
  std::error_code error;
  fs::path dir = start.empty() ? fs::current_path(error) : fs::path(start);
  dir = fs::absolute(dir, error).lexically_normal();
  if (dir.has_relative_path() && !dir.has_filename()) {
    dir = dir.parent_path();  // "/a/b/" -> "/a/b"
  }
  const char* home_text = std::getenv("HOME");
  fs::path home = home_text && *home_text
                      ? fs::path(home_text).lexically_normal()
                      : fs::path();
  if (home.has_relative_path() && !home.has_filename()) {
    home = home.parent_path();
  }
  std::vector<std::string> dirs;
  for (;;) {
    dirs.push_back(dir.string());
    if (fs::exists(dir / ".git", error) || (!home.empty() && dir == home) ||
        dir == dir.root_path() || !dir.has_parent_path()) {
      break;
    }
    dir = dir.parent_path();
  }
  return dirs;
}

Result<Config> load_config(const ConfigChoice& choice) {
  if (!choice.explicit_file.empty()) {
    return named_config(choice.explicit_file, "--config");
  }
  if (!choice.env_file.empty()) {
    return named_config(choice.env_file, "PYHOOKS_CONFIG");
  }
  std::error_code error;
  std::vector<std::string> dirs = search_dirs_upwards(choice.search_dir);
  for (size_t level = 0; level < dirs.size(); ++level) {
    for (const char* name : {"pyhooks.toml", "pyproject.toml"}) {
      // The current directory's files keep their short names.
      std::string file = level == 0 && choice.search_dir.empty()
                             ? std::string(name)
                             : (fs::path(dirs[level]) / name).string();
      if (!fs::exists(file, error)) {
        continue;
      }
      auto config = read_config(file, "the current directory");
      if (!config) {
        return Error{config.error()};
      }
      if (config->has_value()) {
        return std::move(config->value());
      }
    }
  }
  return default_config();
}

}  // namespace pyhooks
