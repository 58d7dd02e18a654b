// config/selection.cc - resolving and checking the plugin selection.
#include "selection.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <system_error>

#include "loader/chain_order.h"

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string listed(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text.empty() ? "none" : text;
}

std::string absolute_path(const std::string& path) {
  std::error_code error;
  fs::path value = fs::absolute(path, error);
  return error ? path : value.lexically_normal().string();
}

// "pyhooks_x.so" / "x.so" -> "x": the provisional name of a library that
// cannot be read outside Python.
std::string name_from_file(const std::string& path) {
  std::string stem = fs::path(path).stem().string();
  return stem.rfind("pyhooks_", 0) == 0 ? stem.substr(8) : stem;
}

// A configured value in the plugin's declared type (an integer is accepted
// where a float is declared, as TOML writes 1 for 1.0).
Result<OptionValue> typed_option(const PluginDescriptor& plugin,
                                 const OptionSpec& spec,
                                 const OptionValue& value) {
  if (value.type == spec.type) {
    return without_nul(plugin, spec, value);
  }
  if (spec.type == PYHOOKS_OPTION_FLOAT && value.type == PYHOOKS_OPTION_INT) {
    return OptionValue::of_float(static_cast<double>(value.integer));
  }
  return option_type_error(plugin, spec, value.display());
}

// -o NAME.KEY=VALUE for a Python plugin, which declares no types: true and
// false are booleans, whole numbers integers, other numbers floats, the
// rest strings (as written).
OptionValue python_option_from_text(const std::string& text) {
  if (text == "true" || text == "false") {
    return OptionValue::of_bool(text == "true");
  }
  if (!text.empty()) {
    char* end = nullptr;
    errno = 0;
    long long integer = std::strtoll(text.c_str(), &end, 10);
    if (*end == '\0' && errno == 0) return OptionValue::of_int(integer);
    double number = std::strtod(text.c_str(), &end);
    if (*end == '\0' && errno == 0 &&
        text.find_first_of("0123456789") != std::string::npos) {
      return OptionValue::of_float(number);
    }
  }
  return OptionValue::of_string(text);
}

struct Request {
  std::string target;  // plugin name or library path
  const PluginConfig* table = nullptr;
  SourcePos where;
  std::string selected_by;
};

class Selector {
 public:
  Selector(const Config& config, const Overrides& overrides,
           const PluginCatalog& catalog)
      : config_(config), overrides_(overrides), catalog_(catalog) {}

  Result<Selection> run() {
    for (const Request& request : requests()) {
      if (!resolve(request)) return error_;
    }
    if (!apply_command_line_options() || !plan()) {
      return error_;
    }
    return std::move(selection_);
  }

 private:
  std::string selected_by(const PluginConfig& table) const {
    if (config_.origin == ConfigOrigin::kEmbeddedDefault) {
      return "built-in default";
    }
    return table.where.file + ":" + std::to_string(table.where.line);
  }

  std::vector<Request> requests() const {
    std::vector<Request> requests;
    if (!overrides_.plugins.empty()) {
      // A plugin named on the command line is wanted: the built-in
      // default's `required = false` does not apply to it.
      bool own_tables = config_.origin != ConfigOrigin::kEmbeddedDefault;
      for (const std::string& target : overrides_.plugins) {
        requests.push_back({target,
                            own_tables ? config_.find_plugin(target) : nullptr,
                            {},
                            "-p " + target});
      }
      return requests;
    }
    for (const PluginConfig& table : config_.plugins) {
      bool enabled = !table.enabled || table.enabled->value;
      if (contains(overrides_.enable, table.name)) enabled = true;
      if (contains(overrides_.disable, table.name)) enabled = false;
      if (enabled) {
        requests.push_back(
            {table.name, &table, table.where, selected_by(table)});
      }
    }
    for (const std::string& name : overrides_.enable) {
      if (config_.find_plugin(name) == nullptr &&
          !contains(overrides_.disable, name)) {
        requests.push_back({name, nullptr, {}, "PYHOOKS_ENABLE"});
      }
    }
    return requests;
  }

  bool fail(const SourcePos& where, const std::string& message) {
    error_ = located_error(where, message);
    return false;
  }

  void warn(const SourcePos& where, const std::string& message) {
    selection_.warnings.push_back(located_text(where, "warning", message));
  }

  bool resolve(const Request& request) {
    const PluginConfig* table = request.table;
    bool by_library = table != nullptr && table->library.has_value();
    bool in_python = table != nullptr && table->python.has_value();
    std::string target = by_library ? table->library->value : request.target;
    SourcePos where = by_library ? table->library->where : request.where;
    std::string wanted = table ? table->name : "";
    if (in_python) {  // the bridge runs it (config_model.h)
      target = wanted = kPythonBridge;
      where = table->python->where;
    }
    std::string prefix =
        request.where.known() ? "" : request.selected_by + ": ";
    auto found = catalog_.find(target, wanted);

    SelectedPlugin plugin;
    if (found) {
      plugin.descriptor = found->descriptor();
      plugin.name = plugin.descriptor->name;
      plugin.library = absolute_path(found->library.path);
      if (table == nullptr &&
          config_.origin != ConfigOrigin::kEmbeddedDefault) {
        table = config_.find_plugin(plugin.name);  // -p named a library
      }
    } else if (auto file = catalog_.library_file_for(
                   target, table ? table->name : "")) {
      auto symbol = catalog_.needs_python(*file);
      if (!symbol) {
        return not_found(request, where, prefix + found.error());
      }
      auto parsed = parse_plugin_target(target, table ? table->name : "");
      std::string named = parsed ? parsed->plugin : "";
      if (named.empty() && parsed && !parsed->is_path) named = parsed->library;
      plugin.name_known = table != nullptr || !named.empty();
      plugin.name = table ? table->name
                          : (plugin.name_known ? named : name_from_file(*file));
      plugin.library = absolute_path(*file);
      plugin.deferred =
          "its descriptors can only be read inside Python (it "
          "needs the Python symbol " +
          *symbol + "); the host checks it at start-up";
    } else {
      return not_found(request, where, prefix + found.error());
    }
    if (in_python) {
      plugin.name = table->name;
      plugin.python_class = table->python->value;
      plugin.python_origin = python_origin(*table);
    }
    plugin.selected_by = request.selected_by;
    plugin.required = table && table->required ? table->required->value : true;
    if (table && table->priority) {
      plugin.priority = static_cast<int32_t>(table->priority->value);
    }
    plugin.effective_priority = plugin.priority.value_or(
        plugin.descriptor ? plugin.descriptor->default_priority
                          : PYHOOKS_PRIORITY_NORMAL);
    if (table && !apply_table_options(plugin, *table)) {
      return false;
    }
    resolved_.push_back(std::move(plugin));
    return true;
  }

  bool not_found(const Request& request, const SourcePos& where,
                 const std::string& message) {
    const PluginConfig* table = request.table;
    if (!table || !table->required || table->required->value) {
      return fail(where, message);
    }
    dropped_.insert(request.target);
    warn(where, message + "; running without it (required = false)");
    return true;
  }

  // "pyhooks.toml:4:10: plugin.probe.python = \"m:C\"".
  std::string python_origin(const PluginConfig& table) const {
    const SourcePos& at = table.python->where;
    std::string key = (config_.table.empty() ? "" : config_.table + ".") +
                      "plugin." + table.name + ".python";
    std::string place = at.known() ? at.file + ":" + std::to_string(at.line) +
                                         ":" + std::to_string(at.column) + ": "
                                   : "";
    return place + key + " = \"" + table.python->value + "\"";
  }

  bool apply_table_options(SelectedPlugin& plugin, const PluginConfig& table) {
    for (const ConfigOption& option : table.options) {
      // A Python class takes its options as TOML typed them.
      if (!plugin.descriptor || !plugin.python_class.empty()) {
        plugin.options.set(option.key, option.value);
        continue;
      }
      auto spec = declared_option(*plugin.descriptor, option.key);
      if (!spec) {
        return fail(option.key_where, spec.error());
      }
      auto value =
          typed_option(*plugin.descriptor, *spec.value(), option.value);
      if (!value) {
        return fail(option.value_where, value.error());
      }
      plugin.options.set(option.key, std::move(value.value()));
    }
    return true;
  }

  // -o NAME.KEY=VALUE, after the configuration's options (so it wins).
  bool apply_command_line_options() {
    for (const std::string& text : overrides_.options) {
      std::string what = "-o " + text + ": ";
      size_t equals = text.find('=');
      size_t dot = text.rfind('.', equals);
      if (equals == std::string::npos || dot == std::string::npos || dot == 0 ||
          dot + 1 == equals) {
        return fail({}, what +
                            "expected NAME.KEY=VALUE (for example "
                            "-o profiler.output=run.prof)");
      }
      std::string name = text.substr(0, dot);
      std::string key = text.substr(dot + 1, equals - dot - 1);
      std::string value = text.substr(equals + 1);
      auto plugin =
          std::find_if(resolved_.begin(), resolved_.end(),
                       [&](const SelectedPlugin& p) { return p.name == name; });
      if (plugin == resolved_.end()) {
        std::vector<std::string> names;
        for (const SelectedPlugin& p : resolved_) names.push_back(p.name);
        return fail({}, what + "plugin '" + name +
                            "' is not selected (selected: " + listed(names) +
                            "); select it with -p " + name);
      }
      if (!plugin->python_class.empty()) {
        plugin->options.set(key, python_option_from_text(value));
        continue;
      }
      if (!plugin->descriptor) {
        plugin->options.set(key, OptionValue::of_string(value));
        continue;
      }
      auto spec = declared_option(*plugin->descriptor, key);
      if (!spec) {
        return fail({}, what + spec.error());
      }
      auto typed = option_from_text(*plugin->descriptor, *spec.value(), value);
      if (!typed) {
        return fail({}, what + typed.error());
      }
      plugin->options.set(key, std::move(typed.value()));
    }
    return true;
  }

  // `order` without the entries that name plugins not selected here.
  bool effective_order(std::optional<std::vector<std::string>>& order) {
    if (!config_.order) {
      return true;
    }
    std::vector<std::string> selected;
    for (const SelectedPlugin& plugin : resolved_) {
      selected.push_back(plugin.name);
    }
    order.emplace();
    for (const Located<std::string>& item : config_.order->value) {
      if (item.value == "*" || contains(selected, item.value)) {
        order->push_back(item.value);
      } else if (config_.find_plugin(item.value) == nullptr &&
                 dropped_.count(item.value) == 0 &&
                 !contains(overrides_.plugins, item.value) &&
                 !contains(overrides_.enable, item.value)) {
        return fail(item.where, "'order' names '" + item.value +
                                    "', which is neither configured nor "
                                    "selected (selected: " +
                                    listed(selected) + ")");
      }
    }
    return true;
  }

  bool plan() {
    if (!effective_order(selection_.order)) {
      return false;
    }
    std::vector<ChainCandidate> candidates;
    for (const SelectedPlugin& plugin : resolved_) {
      bool exclusive =
          plugin.descriptor && (plugin.descriptor->capabilities &
                                PYHOOKS_CAP_EXCLUSIVE_EVALUATOR) != 0;
      candidates.push_back({plugin.name, plugin.effective_priority,
                            plugin.priority.has_value(), exclusive});
    }
    auto plan = plan_chain(candidates, selection_.order);
    if (!plan) {
      return fail(config_.order ? config_.order->where : SourcePos{},
                  plan.error());
    }
    for (const std::string& warning : plan->warnings) {
      warn({}, warning);
    }
    for (const ChainPlan::Refusal& refusal : plan->refused) {
      const SelectedPlugin& plugin = resolved_[refusal.candidate];
      const PluginConfig* table = config_.find_plugin(plugin.name);
      SourcePos where = table ? table->where : SourcePos{};
      if (plugin.required) {
        return fail(where, refusal.message);
      }
      warn(where, refusal.message);
    }
    for (const ChainPlan::Entry& entry : plan->chain) {
      SelectedPlugin plugin = resolved_[entry.candidate];
      plugin.position = entry.reason;
      if (!plugin.descriptor && !plugin.priority) {
        plugin.position += "; assumed, the plugin's own is read at start-up";
      }
      selection_.chain.push_back(std::move(plugin));
    }
    return true;
  }

  const Config& config_;
  const Overrides& overrides_;
  const PluginCatalog& catalog_;
  std::vector<SelectedPlugin> resolved_;  // in selection order
  std::set<std::string> dropped_;         // optional plugins not found
  Selection selection_;
  Error error_;
};

}  // namespace

Result<Selection> select_plugins(const Config& config,
                                 const Overrides& overrides,
                                 const PluginCatalog& catalog) {
  return Selector(config, overrides, catalog).run();
}

std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string name = text.substr(start, end - start);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (!name.empty() && !contains(names, name)) names.push_back(name);
    start = end + 1;
  }
  return names;
}

}  // namespace pyhooks
