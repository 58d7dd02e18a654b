// cli/run_spec.cc - the run spec as JSON.
#include "run_spec.h"

#include <cmath>
#include <cstdio>

namespace pyhooks {

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof(escape), "\\u%04x", c);
          out += escape;
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through
        }
    }
  }
  return out + "\"";
}

std::string string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    out += (i ? ", " : "") + quoted(items[i]);
  }
  return out + "]";
}

std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char text[64];
  std::snprintf(text, sizeof(text), "%.17g", value);
  std::string out = text;
  // Keep it a float on the Python side.
  if (out.find_first_of(".eE") == std::string::npos) out += ".0";
  return out;
}

std::string option_json(const OptionValue& value) {
  switch (value.type) {
    case PYHOOKS_OPTION_INT:
      return std::to_string(value.integer);
    case PYHOOKS_OPTION_FLOAT:
      return number(value.number);
    case PYHOOKS_OPTION_BOOL:
      return value.boolean ? "true" : "false";
    case PYHOOKS_OPTION_STRING_LIST:
      return string_list(value.items);
    default:
      return quoted(value.text);
  }
}

std::string options_json(const PluginOptions& values) {
  std::string options = "{";
  for (const auto& [key, value] : values.values()) {
    options += (options.size() > 1 ? ", " : "") + quoted(key) + ": " +
               option_json(value);
  }
  return options + "}";
}

// A plugin written in Python: the bridge plugin's request, run under the
// configured name, its class's options handed over as one JSON object.
std::string python_plugin_json(const SelectedPlugin& plugin) {
  std::string priority =
      plugin.priority ? std::to_string(*plugin.priority) : "null";
  std::string options =
      "{\"class\": " + quoted(plugin.python_class) +
      ", \"options\": " + quoted(options_json(plugin.options)) +
      ", \"origin\": " + quoted(plugin.python_origin) + "}";
  return "{\"target\": " + quoted(plugin.library) +
         ", \"name\": " + quoted(kPythonBridge) +
         ", \"as\": " + quoted(plugin.name) + ", \"priority\": " + priority +
         ", \"options\": " + options +
         ", \"required\": " + (plugin.required ? "true" : "false") + "}";
}

}  // namespace

std::string plugin_request_json(const SelectedPlugin& plugin) {
  if (!plugin.python_class.empty()) return python_plugin_json(plugin);
  std::string options = options_json(plugin.options);
  // A library named by path that could not be read here is loaded by the
  // host as the one plugin it holds, whatever its name.
  std::string name = plugin.name_known ? quoted(plugin.name) : "null";
  std::string priority =
      plugin.priority ? std::to_string(*plugin.priority) : "null";
  return "{\"target\": " + quoted(plugin.library) + ", \"name\": " + name +
         ", \"priority\": " + priority + ", \"options\": " + options +
         ", \"required\": " + (plugin.required ? "true" : "false") + "}";
}

std::string run_spec_json(const RunSpec& spec) {
  std::string plugins = "[";
  std::optional<std::vector<std::string>> order;
  if (spec.selection != nullptr) {
    for (const SelectedPlugin& plugin : spec.selection->chain) {
      plugins += (plugins.size() > 1 ? ", " : "") + plugin_request_json(plugin);
    }
    order = spec.selection->order;
  }
  plugins += "]";
  return "{\"version\": 1, \"pid\": " + std::to_string(spec.pid) +
         ", \"children\": " + (spec.children ? "true" : "false") +
         ", \"strict\": " + (spec.strict ? "true" : "false") +
         ", \"event_source\": " + quoted(spec.event_source) +
         ", \"order\": " + (order ? string_list(*order) : "null") +
         ", \"plugin_path\": " + string_list(spec.plugin_path) +
         ", \"plugins\": " + plugins + "}";
}

}  // namespace pyhooks
