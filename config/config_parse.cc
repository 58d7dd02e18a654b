// config/config_parse.cc - reading pyhooks settings from TOML (toml++).
//
// Built with TOML_EXCEPTIONS=0: toml::parse returns a parse_result whose
// error carries the source position. Keys are visited in file order, so the
// first problem in the file is the one reported.
#include "config_parse.h"

// toml++ 3.3 states a precondition of its key parser as an assertion in
// debug builds (abort) and as an assumption in release builds (with clang,
// __builtin_assume: undefined behaviour), and a table header such as "[#x]"
// violates it; the parser itself then reports the error properly. So that
// no file can abort or miscompile pyhooks, both become no-ops here: with
// NDEBUG undefined, TOML_ASSERT_ASSUME is TOML_ASSERT, which is ours.
#pragma push_macro("NDEBUG")
#undef NDEBUG
#define TOML_ASSERT(expr) static_cast<void>(0)
#include <toml++/toml.h>
#pragma pop_macro("NDEBUG")

#include <algorithm>
#include <filesystem>
#include <set>

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

constexpr const char* kTopKeys =
    "python, plugin_path, order, strict, event_source, children, plugin";
constexpr const char* kPluginKeys =
    "enabled, priority, required, library, options";

const char* type_phrase(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

using Entry = std::pair<const toml::key*, const toml::node*>;

// toml::table is ordered by key; errors should follow the file.
std::vector<Entry> in_file_order(const toml::table& table) {
  std::vector<Entry> entries;
  for (auto&& [key, node] : table) {
    entries.emplace_back(&key, &node);
  }
  std::stable_sort(
      entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        const auto& x = a.first->source().begin;
        const auto& y = b.first->source().begin;
        return x.line != y.line ? x.line < y.line : x.column < y.column;
      });
  return entries;
}

// "Error while parsing table header: cannot redefine ..." reads better as
// "invalid TOML: cannot redefine ... (while parsing table header)".
std::string syntax_message(std::string_view description) {
  constexpr std::string_view kPrefix = "Error while parsing ";
  std::string text(description);
  if (text.rfind(kPrefix, 0) == 0) {
    size_t colon = text.find(": ", kPrefix.size());
    if (colon != std::string::npos) {
      return "invalid TOML: " + text.substr(colon + 2) + " (while parsing " +
             text.substr(kPrefix.size(), colon - kPrefix.size()) + ")";
    }
  }
  return "invalid TOML: " + text;
}

class Parser {
 public:
  explicit Parser(const ConfigText& source) : source_(source) {}

  Result<Config> parse(const toml::table& settings) {
    Config config;
    config.origin = source_.origin;
    config.file = source_.file;
    config.base_dir = source_.base_dir;
    config.table =
        source_.origin == ConfigOrigin::kPyprojectToml ? "tool.pyhooks" : "";
    for (const auto& [key, node] : in_file_order(settings)) {
      std::string name(key->str());
      bool ok = true;
      if (name == "python") {
        ok = read_string(name, *node, config.python.emplace());
      } else if (name == "plugin_path") {
        ok = read_plugin_path(*node, config);
      } else if (name == "order") {
        ok = read_order(*node, config.order.emplace());
      } else if (name == "strict") {
        ok = read_bool(name, *node, config.strict.emplace());
      } else if (name == "event_source") {
        ok = read_event_source(*node, config.event_source.emplace());
      } else if (name == "children") {
        ok = read_bool(name, *node, config.children.emplace());
      } else if (name == "plugin") {
        ok = read_plugins(*node, config);
      } else {
        ok = fail(*key, "unknown key '" + name + "'" + in_table("") +
                            " (known keys: " + kTopKeys + ")");
      }
      if (!ok) {
        return error_;
      }
    }
    return config;
  }

 private:
  SourcePos pos(const toml::source_region& region) const {
    if (source_.file.empty()) {
      return {};
    }
    return {source_.file, region.begin.line, region.begin.column};
  }

  template <typename Node>
  bool fail(const Node& at, const std::string& message) {
    error_ = located_error(pos(at.source()), message);
    return false;
  }

  // The TOML name of the table `path` ("plugin.x"), as the file writes it.
  std::string full_table(const std::string& path) const {
    if (source_.origin != ConfigOrigin::kPyprojectToml) {
      return path;
    }
    return "tool.pyhooks" + (path.empty() ? "" : "." + path);
  }

  // " in [plugin.x]" / " in [tool.pyhooks]" for unknown-key messages.
  std::string in_table(const std::string& path) const {
    std::string full = full_table(path);
    return full.empty() ? "" : " in [" + full + "]";
  }

  bool wrong_type(const std::string& name, const toml::node& node,
                  const char* expected) {
    return fail(node, "'" + name + "' must be " + expected + ", not " +
                          type_phrase(node));
  }

  bool read_string(const std::string& name, const toml::node& node,
                   Located<std::string>& out) {
    const auto* value = node.as_string();
    if (value == nullptr) {
      return wrong_type(name, node, "a string");
    }
    if (value->get().empty()) {
      return fail(node, "'" + name + "' must not be empty");
    }
    out = {value->get(), pos(node.source())};
    return true;
  }

  bool read_bool(const std::string& name, const toml::node& node,
                 Located<bool>& out) {
    const auto* value = node.as_boolean();
    if (value == nullptr) {
      return wrong_type(name, node, "a boolean (true or false)");
    }
    out = {value->get(), pos(node.source())};
    return true;
  }

  // An array of non-empty strings.
  bool read_strings(const std::string& name, const toml::node& node,
                    std::vector<Located<std::string>>& out) {
    const auto* array = node.as_array();
    if (array == nullptr) {
      return wrong_type(name, node, "an array of strings");
    }
    for (size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      std::string what = "'" + name + "' item " + std::to_string(i + 1);
      const auto* text = item.as_string();
      if (text == nullptr) {
        return fail(item, "'" + name + "' must be an array of strings; item " +
                              std::to_string(i + 1) + " is " +
                              type_phrase(item));
      }
      if (text->get().empty()) {
        return fail(item, what + " is an empty string");
      }
      out.push_back({text->get(), pos(item.source())});
    }
    return true;
  }

  std::string absolute(const std::string& path) const {
    fs::path value(path);
    if (value.is_relative()) {
      value = fs::path(source_.base_dir) / value;
    }
    return value.lexically_normal().string();
  }

  bool read_plugin_path(const toml::node& node, Config& config) {
    if (!read_strings("plugin_path", node, config.plugin_path)) {
      return false;
    }
    for (Located<std::string>& dir : config.plugin_path) {
      dir.value = absolute(dir.value);
    }
    return true;
  }

  bool read_order(const toml::node& node,
                  Located<std::vector<Located<std::string>>>& out) {
    out.where = pos(node.source());
    if (!read_strings("order", node, out.value)) {
      return false;
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < out.value.size(); ++i) {
      const std::string& name = out.value[i].value;
      const toml::node& item = *node.as_array()->get(i);
      if (!seen.insert(name).second) {
        return fail(item, name == "*"
                              ? std::string("'order' may contain \"*\" only "
                                            "once")
                              : "'order' lists '" + name + "' twice");
      }
      if (name != "*" && !is_valid_plugin_name(name)) {
        return fail(item, "'order' item '" + name +
                              "' is not a plugin name (use 1-64 of a-z 0-9 _ "
                              "- ., or \"*\" for every other plugin)");
      }
    }
    return true;
  }

  bool read_event_source(const toml::node& node, Located<std::string>& out) {
    if (!read_string("event_source", node, out)) {
      return false;
    }
    if (out.value != "auto" && out.value != "eval_frame" &&
        out.value != "monitoring") {
      return fail(node,
                  "'event_source' must be \"auto\", \"eval_frame\" or "
                  "\"monitoring\", not \"" +
                      out.value + "\"");
    }
    return true;
  }

  bool read_plugins(const toml::node& node, Config& config) {
    const auto* table = node.as_table();
    if (table == nullptr) {
      return fail(node,
                  "'plugin' must be a table of [plugin.NAME] tables, not " +
                      std::string(type_phrase(node)));
    }
    for (const auto& [key, value] : in_file_order(*table)) {
      std::string name(key->str());
      if (!is_valid_plugin_name(name)) {
        return fail(*key, "'" + name +
                              "' is not a valid plugin name (use 1-64 of a-z "
                              "0-9 _ - ., not starting with - or .)");
      }
      if (!read_plugin(name, *value, config.plugins.emplace_back())) {
        return false;
      }
    }
    return true;
  }

  bool read_plugin(const std::string& name, const toml::node& node,
                   PluginConfig& out) {
    std::string path = "plugin." + name;
    const auto* table = node.as_table();
    if (table == nullptr) {
      return wrong_type(path, node, "a table");
    }
    out.name = name;
    out.where = pos(node.source());
    for (const auto& [key, value] : in_file_order(*table)) {
      std::string field(key->str());
      std::string qualified = path + "." + field;
      bool ok = true;
      if (field == "enabled") {
        ok = read_bool(qualified, *value, out.enabled.emplace());
      } else if (field == "required") {
        ok = read_bool(qualified, *value, out.required.emplace());
      } else if (field == "priority") {
        ok = read_priority(qualified, *value, out.priority.emplace());
      } else if (field == "library") {
        ok = read_string(qualified, *value, out.library.emplace());
        if (ok) out.library->value = absolute(out.library->value);
      } else if (field == "options") {
        ok = read_options(qualified, *value, out.options);
      } else {
        ok = fail(*key, "unknown key '" + field + "'" + in_table(path) +
                            " (known keys: " + kPluginKeys +
                            "; the plugin's own settings go in [" +
                            full_table(path) + ".options])");
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  bool read_priority(const std::string& name, const toml::node& node,
                     Located<int64_t>& out) {
    const auto* value = node.as_integer();
    if (value == nullptr) {
      return wrong_type(name, node, "an integer from 0 to 1000");
    }
    if (value->get() < PYHOOKS_PRIORITY_MIN ||
        value->get() > PYHOOKS_PRIORITY_MAX) {
      return fail(node, "'" + name + "' is " + std::to_string(value->get()) +
                            "; it must be from 0 to 1000 (higher runs first)");
    }
    out = {value->get(), pos(node.source())};
    return true;
  }

  bool read_options(const std::string& path, const toml::node& node,
                    std::vector<ConfigOption>& out) {
    const auto* table = node.as_table();
    if (table == nullptr) {
      return wrong_type(path, node, "a table");
    }
    for (const auto& [key, value] : in_file_order(*table)) {
      ConfigOption option;
      option.key = std::string(key->str());
      option.key_where = pos(key->source());
      option.value_where = pos(value->source());
      std::string name = path + "." + option.key;
      if (const auto* text = value->as_string()) {
        option.value = OptionValue::of_string(text->get());
      } else if (const auto* integer = value->as_integer()) {
        option.value = OptionValue::of_int(integer->get());
      } else if (const auto* number = value->as_floating_point()) {
        option.value = OptionValue::of_float(number->get());
      } else if (const auto* flag = value->as_boolean()) {
        option.value = OptionValue::of_bool(flag->get());
      } else if (value->is_array()) {
        std::vector<Located<std::string>> items;
        if (!read_strings(name, *value, items)) {
          return false;
        }
        std::vector<std::string> texts;
        for (auto& item : items) texts.push_back(std::move(item.value));
        option.value = OptionValue::of_list(std::move(texts));
      } else {
        return fail(*value, "'" + name + "' is " + type_phrase(*value) +
                                "; an option is a string, integer, float, "
                                "boolean or array of strings");
      }
      out.push_back(std::move(option));
    }
    return true;
  }

  const ConfigText& source_;
  Error error_;
};

}  // namespace

bool is_valid_plugin_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '-' || name[0] == '.') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

Result<std::optional<Config>> parse_config(const ConfigText& source) {
  toml::parse_result parsed =
      toml::parse(std::string_view(source.text), std::string_view(source.file));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    SourcePos where;
    if (!source.file.empty()) {
      where = {source.file, error.source().begin.line,
               error.source().begin.column};
    }
    return located_error(where, syntax_message(error.description()));
  }
  const toml::table* settings = &parsed.table();
  if (source.origin == ConfigOrigin::kPyprojectToml) {
    const toml::node* tool = parsed.table().get("tool");
    const toml::node* pyhooks =
        tool && tool->is_table() ? tool->as_table()->get("pyhooks") : nullptr;
    if (pyhooks == nullptr) {
      return std::optional<Config>();
    }
    if (!pyhooks->is_table()) {
      SourcePos where{source.file, pyhooks->source().begin.line,
                      pyhooks->source().begin.column};
      return located_error(where, "'tool.pyhooks' must be a table, not " +
                                      std::string(type_phrase(*pyhooks)));
    }
    settings = pyhooks->as_table();
  }
  auto config = Parser(source).parse(*settings);
  if (!config) {
    return Error{config.error()};
  }
  return std::optional<Config>(std::move(config.value()));
}

}  // namespace pyhooks
