// plugins/python_bridge/python_target.h - "module:Class", the value of a
// Python plugin's `python =` key: parsed, then imported and checked.
//
// Parsing needs no Python (the CLI's config check applies the same rule in
// config/config_parse.cc); resolving imports the module with the program's
// sys.path and must run with the GIL held.
#pragma once

#include <string>

#include "py_ref.h"

namespace python_bridge {

struct PythonTarget {
  std::string module;     // "pkg.mod"
  std::string attribute;  // "Class" or "Outer.Inner"
};

// Empty string if `text` is MODULE:CLASS with both parts dotted Python
// identifiers; otherwise what is wrong, as a phrase ("has no ':' ...").
std::string parse_target(const std::string& text, PythonTarget* out);

// The class `target` names, or an empty PyRef with *problem set to one
// phrase (the module cannot be imported, has no such attribute, it is not a
// class). No Python exception is left set.
PyRef resolve_class(const PythonTarget& target, std::string* problem);

// "ValueError: message" for the exception currently set, which is cleared
// ("" if none is set).
std::string take_exception_text();

}  // namespace python_bridge
