// cli/describe.cc - descriptor and table formatting.
#include "describe.h"

#include <algorithm>

namespace pyhooks {

std::string cpython_versions(const PluginDescriptor& plugin) {
  if ((plugin.capabilities & PYHOOKS_CAP_CPYTHON_INTERNALS) == 0) {
    return "3.11-3.13";
  }
  // build_tag: cpython-3XY-<platform>
  const std::string& tag = plugin.build_tag;
  std::string version = tag;
  if (tag.rfind("cpython-3", 0) == 0) {
    size_t end = tag.find('-', 9);
    version = "3." + tag.substr(9, end == std::string::npos ? end : end - 9);
  }
  return version + " only (" + tag + ")";
}

std::string options_text(const PluginOptions& options) {
  std::string text;
  for (const auto& [key, value] : options.values()) {
    text += (text.empty() ? "" : ", ") + key + " = " + value.display();
  }
  return text.empty() ? "none" : text;
}

void print_descriptor(std::ostream& out, const PluginDescriptor& plugin) {
  out << plugin.name << " " << plugin.version << "\n";
  std::vector<std::vector<std::string>> rows = {
      {"  description:", plugin.description.empty() ? "-" : plugin.description},
      {"  roles:", role_names(plugin.roles)},
      {"  default priority:", std::to_string(plugin.default_priority)},
      {"  capabilities:", capability_names(plugin.capabilities)},
      {"  events:", plugin.is_observer() ? event_names(plugin.events) : "-"},
      {"  CPython:", cpython_versions(plugin)},
      {"  per-code data:", std::to_string(plugin.code_data_size) + " bytes"},
  };
  print_columns(out, rows);
  if (plugin.options.empty()) {
    out << "  options: none\n";
    return;
  }
  out << "  options:\n";
  std::vector<std::vector<std::string>> options;
  for (const OptionSpec& option : plugin.options) {
    options.push_back({"    " + option.name, option_type_name(option.type),
                       option.default_value.empty()
                           ? "(no default)"
                           : "default " + option.default_value,
                       option.help});
  }
  print_columns(out, options);
}

void print_columns(std::ostream& out,
                   const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size())
        line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

}  // namespace pyhooks
