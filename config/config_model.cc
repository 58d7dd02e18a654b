// config/config_model.cc - messages with positions, model lookups.
#include "config_model.h"

#include <cstdio>

namespace pyhooks {

std::string one_line(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char escape[8];
      std::snprintf(escape, sizeof(escape), "\\x%02x", c);
      out += escape;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string located_text(const SourcePos& where, const char* severity,
                         const std::string& message) {
  if (!where.known()) {
    return one_line(std::string("pyhooks: ") + severity + ": " + message);
  }
  return one_line(where.file + ":" + std::to_string(where.line) + ":" +
                  std::to_string(where.column) + ": " + severity + ": " +
                  message);
}

Error located_error(const SourcePos& where, const std::string& message) {
  return Error{located_text(where, "error", message)};
}

const PluginConfig* Config::find_plugin(const std::string& name) const {
  for (const PluginConfig& plugin : plugins) {
    if (plugin.name == name) {
      return &plugin;
    }
  }
  return nullptr;
}

std::string Config::description() const {
  switch (origin) {
    case ConfigOrigin::kEmbeddedDefault:
      return "the built-in default configuration (no pyhooks.toml or "
             "[tool.pyhooks] found)";
    case ConfigOrigin::kPyprojectToml:
      return file + " [tool.pyhooks]";
    case ConfigOrigin::kPyhooksToml:
    default:
      return file;
  }
}

}  // namespace pyhooks
