// plugins/python_bridge/python_target.cc - parsing and importing
// "module:Class".
#include "python_target.h"

namespace python_bridge {

namespace {

bool is_identifier_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (static_cast<unsigned char>(c) >= 0x80);  // non-ASCII: Python decides
}

bool is_identifier_char(char c) {
  return is_identifier_start(c) || (c >= '0' && c <= '9');
}

// "a.b.c": dot-separated identifiers, none empty.
bool is_dotted_name(const std::string& text) {
  if (text.empty()) return false;
  bool at_start = true;
  for (char c : text) {
    if (c == '.') {
      if (at_start) return false;
      at_start = true;
    } else if (at_start ? !is_identifier_start(c) : !is_identifier_char(c)) {
      return false;
    } else {
      at_start = false;
    }
  }
  return !at_start;
}

std::string text_of(PyObject* object) {
  PyRef text = PyRef::steal(PyObject_Str(object));
  const char* utf8 =
      text ? PyUnicode_AsUTF8AndSize(text.get(), nullptr) : nullptr;
  if (utf8 == nullptr) {
    PyErr_Clear();
    return "?";
  }
  return utf8;
}

}  // namespace

std::string parse_target(const std::string& text, PythonTarget* out) {
  size_t colon = text.find(':');
  if (colon == std::string::npos) {
    return "has no ':'; write MODULE:CLASS, e.g. \"my_tools:CallCounter\"";
  }
  std::string module = text.substr(0, colon);
  std::string attribute = text.substr(colon + 1);
  if (!is_dotted_name(module)) {
    return "does not start with a module name before ':' (write "
           "MODULE:CLASS, e.g. \"my_tools:CallCounter\")";
  }
  if (!is_dotted_name(attribute)) {
    return "does not name a class after ':' (write MODULE:CLASS, e.g. "
           "\"my_tools:CallCounter\")";
  }
  out->module = module;
  out->attribute = attribute;
  return "";
}

std::string take_exception_text() {
  if (!PyErr_Occurred()) return "";
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyRef owned_type = PyRef::steal(type);
  PyRef owned_value = PyRef::steal(value);
  PyRef owned_traceback = PyRef::steal(traceback);
  std::string text = "exception";
  if (type != nullptr) {
    PyRef name = PyRef::steal(PyObject_GetAttrString(type, "__name__"));
    text = name ? text_of(name.get()) : "exception";
    PyErr_Clear();
  }
  if (value != nullptr) {
    std::string message = text_of(value);
    if (!message.empty()) text += ": " + message;
  }
  PyErr_Clear();
  return text;
}

PyRef resolve_class(const PythonTarget& target, std::string* problem) {
  PyRef object = PyRef::steal(PyImport_ImportModule(target.module.c_str()));
  if (!object) {
    *problem = "cannot import module '" + target.module + "' (" +
               take_exception_text() +
               "); it is imported with the program's sys.path (the "
               "script's directory first)";
    return PyRef();
  }
  std::string walked = target.module;
  size_t start = 0;
  while (start <= target.attribute.size()) {
    size_t dot = target.attribute.find('.', start);
    if (dot == std::string::npos) dot = target.attribute.size();
    std::string part = target.attribute.substr(start, dot - start);
    PyRef next =
        PyRef::steal(PyObject_GetAttrString(object.get(), part.c_str()));
    if (!next) {
      std::string why = take_exception_text();
      *problem =
          "'" + walked + "' has no attribute '" + part + "' (" + why + ")";
      return PyRef();
    }
    walked += (start == 0 ? ":" : ".") + part;
    object = std::move(next);
    start = dot + 1;
  }
  if (!PyType_Check(object.get())) {
    PyRef type =
        PyRef::borrow(reinterpret_cast<PyObject*>(Py_TYPE(object.get())));
    PyRef type_name =
        PyRef::steal(PyObject_GetAttrString(type.get(), "__name__"));
    std::string kind = type_name ? text_of(type_name.get()) : "?";
    PyErr_Clear();
    *problem = "'" + walked + "' is not a class (it is a " + kind +
               "); name a class whose on_start, on_return, ... methods "
               "receive the events";
    return PyRef();
  }
  return object;
}

}  // namespace python_bridge
