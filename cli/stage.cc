// cli/stage.cc - locating the installed tree.
#include "stage.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace pyhooks {

namespace {
namespace fs = std::filesystem;
}  // namespace

std::string Stage::host_module(const std::string& ext_suffix) const {
  std::error_code error;
  fs::path path = fs::path(package_dir()) / "pyhooks" / ("_host" + ext_suffix);
  return !ext_suffix.empty() && fs::is_regular_file(path, error)
             ? path.string()
             : std::string();
}

std::vector<std::string> Stage::host_modules() const {
  std::vector<std::string> names;
  std::error_code error;
  fs::path dir = fs::path(package_dir()) / "pyhooks";
  for (fs::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.rfind("_host.", 0) == 0 && it->path().extension() == ".so") {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<Stage> locate_stage() {
  std::error_code error;
  fs::path exe = fs::canonical("/proc/self/exe", error);
  if (error) {
    return Error{"cannot find the pyhooks executable's own path (" +
                 error.message() + ")"};
  }
  fs::path root = exe.parent_path().parent_path();
  Stage stage{root.string(), (root / "lib" / "pyhooks" / "python").string()};
  if (!fs::is_directory(stage.python_dir, error) &&
      fs::is_regular_file(root / "__init__.py", error)) {
    stage.python_dir = root.parent_path().string();  // a wheel's layout
  }
  for (const std::string& dir : {stage.boot_dir(), stage.package_dir()}) {
    if (!fs::is_directory(dir, error)) {
      return Error{"this pyhooks is not part of an installed tree (" + dir +
                   " is missing); run the installed one, e.g. "
                   "build/stage/bin/pyhooks after `make build`"};
    }
  }
  if (!fs::is_regular_file(stage.boot_library(), error)) {
    return Error{"this pyhooks installation is incomplete (" +
                 stage.boot_library() +
                 " is missing); reinstall it (make build)"};
  }
  return stage;
}

std::string host_module_version(const std::string& file_name) {
  // _host.cpython-3XY<abi flags>-<platform>.so -> "3.XY", "3.XY (debug)"
  const std::string marker = ".cpython-3";
  size_t at = file_name.find(marker);
  if (at == std::string::npos) {
    return {};
  }
  size_t start = at + marker.size();
  size_t end = file_name.find('-', start);
  if (end == std::string::npos || end == start) {
    return {};
  }
  std::string version = "3." + file_name.substr(start, end - start);
  if (version.back() == 'd') {
    version.pop_back();
    version += " (debug)";
  }
  return version;
}

}  // namespace pyhooks
