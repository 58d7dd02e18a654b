// loader/plugin_options.cc - typed option values and text conversion.
#include "plugin_options.h"

#include "loader/name_suggestion.h"

#include <cerrno>
#include <cstdlib>

namespace pyhooks {

OptionValue OptionValue::of_string(std::string value) {
  OptionValue v;
  v.type = PYHOOKS_OPTION_STRING;
  v.text = std::move(value);
  return v;
}

OptionValue OptionValue::of_int(int64_t value) {
  OptionValue v;
  v.type = PYHOOKS_OPTION_INT;
  v.integer = value;
  return v;
}

OptionValue OptionValue::of_float(double value) {
  OptionValue v;
  v.type = PYHOOKS_OPTION_FLOAT;
  v.number = value;
  return v;
}

OptionValue OptionValue::of_bool(bool value) {
  OptionValue v;
  v.type = PYHOOKS_OPTION_BOOL;
  v.boolean = value;
  return v;
}

OptionValue OptionValue::of_list(std::vector<std::string> value) {
  OptionValue v;
  v.type = PYHOOKS_OPTION_STRING_LIST;
  v.items = std::move(value);
  return v;
}

std::string OptionValue::display() const {
  switch (type) {
    case PYHOOKS_OPTION_INT:
      return std::to_string(integer);
    case PYHOOKS_OPTION_FLOAT:
      return std::to_string(number);
    case PYHOOKS_OPTION_BOOL:
      return boolean ? "true" : "false";
    case PYHOOKS_OPTION_STRING_LIST: {
      std::string text = "[";
      for (size_t i = 0; i < items.size(); ++i) {
        text += (i ? ", \"" : "\"") + items[i] + "\"";
      }
      return text + "]";
    }
    default:
      return "\"" + text + "\"";
  }
}

const OptionValue* PluginOptions::find(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

void PluginOptions::set(const std::string& name, OptionValue value) {
  values_[name] = std::move(value);
}

Result<const OptionSpec*> declared_option(const PluginDescriptor& plugin,
                                          const std::string& name) {
  if (const OptionSpec* spec = plugin.find_option(name)) {
    return spec;
  }
  std::string known;
  std::vector<std::string> names;
  for (const OptionSpec& spec : plugin.options) {
    known += (known.empty() ? "" : ", ") + spec.name;
    names.push_back(spec.name);
  }
  std::string guess = closest_name(name, names);
  if (!guess.empty()) guess = "; did you mean '" + guess + "'?";
  return Error{"plugin '" + plugin.name + "' has no option '" + name + "'" +
               guess + " (" +
               (known.empty() ? std::string("it takes no options")
                              : "it takes: " + known) +
               ")"};
}

Error option_type_error(const PluginDescriptor& plugin, const OptionSpec& spec,
                        const std::string& got) {
  const char* type = option_type_name(spec.type);
  bool vowel = type[0] == 'i';
  return Error{"plugin '" + plugin.name + "': option '" + spec.name +
               "' must be " + (vowel ? "an " : "a ") + type + " (got " + got +
               ")"};
}

Result<OptionValue> without_nul(const PluginDescriptor& plugin,
                                const OptionSpec& spec, OptionValue value) {
  bool has_nul = value.text.find('\0') != std::string::npos;
  for (const std::string& item : value.items) {
    has_nul = has_nul || item.find('\0') != std::string::npos;
  }
  if (has_nul) {
    return Error{"plugin '" + plugin.name + "': option '" + spec.name +
                 "' contains a NUL character, which a plugin cannot receive "
                 "(it would read the text cut short); remove it"};
  }
  return value;
}

Result<OptionValue> option_from_text(const PluginDescriptor& plugin,
                                     const OptionSpec& spec,
                                     const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    return without_nul(plugin, spec, OptionValue::of_string(text));
  }
  switch (spec.type) {
    case PYHOOKS_OPTION_STRING:
      return OptionValue::of_string(text);
    case PYHOOKS_OPTION_INT: {
      errno = 0;
      char* end = nullptr;
      long long value = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE) {
        return option_type_error(plugin, spec, "'" + text + "'");
      }
      return OptionValue::of_int(value);
    }
    case PYHOOKS_OPTION_FLOAT: {
      errno = 0;
      char* end = nullptr;
      double value = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || errno == ERANGE) {
        return option_type_error(plugin, spec, "'" + text + "'");
      }
      return OptionValue::of_float(value);
    }
    case PYHOOKS_OPTION_BOOL:
      if (text == "true" || text == "1" || text == "yes" || text == "on") {
        return OptionValue::of_bool(true);
      }
      if (text == "false" || text == "0" || text == "no" || text == "off") {
        return OptionValue::of_bool(false);
      }
      return option_type_error(plugin, spec, "'" + text + "'");
    case PYHOOKS_OPTION_STRING_LIST: {
      std::vector<std::string> items;
      size_t start = 0;
      while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) items.push_back(text.substr(start, end - start));
        start = end + 1;
      }
      return OptionValue::of_list(std::move(items));
    }
    default:
      return option_type_error(plugin, spec, "'" + text + "'");
  }
}

}  // namespace pyhooks
