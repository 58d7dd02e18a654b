// loader/plugin_options.h - a plugin's configured options, typed by the
// option table the plugin declares.
//
// Values arrive as TOML values (config), text (`-o NAME.KEY=VALUE`, which
// the CLI converts here) or Python objects (the in-process API); all end up
// as OptionValue, checked against the plugin's declared type, and are read
// by the plugin through the host API (`option_string`, `option_int`, ...).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "plugin_library.h"
#include "result.h"

namespace pyhooks {

struct OptionValue {
  int32_t type = PYHOOKS_OPTION_STRING;
  std::string text;                // STRING
  int64_t integer = 0;             // INT
  double number = 0.0;             // FLOAT
  bool boolean = false;            // BOOL
  std::vector<std::string> items;  // STRING_LIST

  static OptionValue of_string(std::string value);
  static OptionValue of_int(int64_t value);
  static OptionValue of_float(double value);
  static OptionValue of_bool(bool value);
  static OptionValue of_list(std::vector<std::string> value);
  // For messages and `pyhooks check`.
  std::string display() const;
};

class PluginOptions {
 public:
  const OptionValue* find(const std::string& name) const;
  void set(const std::string& name, OptionValue value);
  const std::map<std::string, OptionValue>& values() const { return values_; }

 private:
  std::map<std::string, OptionValue> values_;
};

// The declared option `name` of `plugin`, or an error listing the options it
// has.
Result<const OptionSpec*> declared_option(const PluginDescriptor& plugin,
                                          const std::string& name);

// `value`, unless a string in it contains a NUL character: plugins read
// options as C strings, so such a value is refused, never cut short
// (plugin ABI policy LOADER-6).
Result<OptionValue> without_nul(const PluginDescriptor& plugin,
                                const OptionSpec& spec, OptionValue value);

// Text with no NUL (see without_nul) to a value of the declared type: "10" for
// int, "true"/"false" for bool, comma-separated items for a list.
Result<OptionValue> option_from_text(const PluginDescriptor& plugin,
                                     const OptionSpec& spec,
                                     const std::string& text);

// A type mismatch message: "plugin 'p': option 'k' must be an int (got ...)".
Error option_type_error(const PluginDescriptor& plugin, const OptionSpec& spec,
                        const std::string& got);

}  // namespace pyhooks
