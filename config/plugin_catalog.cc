// config/plugin_catalog.cc - reading plugin descriptors in the CLI process.
#include "plugin_catalog.h"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

bool is_file(const std::string& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

// "undefined symbol: PyExc_ValueError" -> "PyExc_ValueError", if the symbol
// is one of Python's.
std::optional<std::string> python_symbol_in(const std::string& dlerror_text) {
  const std::string marker = "undefined symbol: ";
  size_t at = dlerror_text.find(marker);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  std::string symbol = dlerror_text.substr(at + marker.size());
  size_t end = symbol.find_first_of(" ,;(");
  symbol = symbol.substr(0, end);
  if (symbol.rfind("Py", 0) == 0 || symbol.rfind("_Py", 0) == 0) {
    return symbol;
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> search_dirs(
    const std::vector<std::string>& explicit_dirs) {
  static const int anchor = 0;
  return plugin_search_dirs(explicit_dirs, installed_plugin_dir(&anchor));
}

PluginCatalog::PluginCatalog(std::vector<std::string> dirs, HostFacts facts)
    : dirs_(std::move(dirs)), facts_(std::move(facts)) {}

void PluginCatalog::map_lazily(const std::string& path) const {
  if (!mapped_.insert(path).second) {
    return;
  }
  // Never closed: the loader's dlopen of the same file shares this mapping,
  // and plugin libraries stay resident (plugin ABI). The file's headers are
  // checked first (LOADER-1); a file that fails them is not mapped, and
  // open() reports why.
  auto mapped = dlopen_plugin_file(path, RTLD_LAZY | RTLD_LOCAL);
  if (!mapped) {
    unmappable_[path] = mapped.error();
  }
}

Result<FoundPlugin> PluginCatalog::find(const std::string& target,
                                        const std::string& plugin_name) const {
  // Only the file the target names is mapped (LOADER-2).
  if (auto file = library_file_for(target, plugin_name)) map_lazily(*file);
  return find_plugin(target, plugin_name, dirs_, facts_);
}

Result<PluginLibrary> PluginCatalog::open(const std::string& path) const {
  map_lazily(path);
  return open_plugin_library(path, facts_);
}

std::vector<std::string> PluginCatalog::libraries() const {
  return libraries_in(dirs_);
}

std::optional<std::string> PluginCatalog::needs_python(
    const std::string& path) const {
  map_lazily(path);
  auto it = unmappable_.find(path);
  if (it == unmappable_.end()) {
    return std::nullopt;
  }
  return python_symbol_in(it->second);
}

std::optional<std::string> PluginCatalog::library_file_for(
    const std::string& target, const std::string& plugin_name) const {
  auto parsed = parse_plugin_target(target, plugin_name);
  if (!parsed) {
    return std::nullopt;
  }
  if (parsed->is_path) {
    return is_file(parsed->library) ? std::optional(parsed->library)
                                    : std::nullopt;
  }
  for (const std::string& dir : dirs_) {
    for (const std::string& file :
         {"pyhooks_" + parsed->library + ".so", parsed->library + ".so"}) {
      std::string path = (fs::path(dir) / file).string();
      if (is_file(path)) {
        return path;
      }
    }
  }
  return std::nullopt;
}

}  // namespace pyhooks
