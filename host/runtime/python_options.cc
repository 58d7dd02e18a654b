// host/runtime/python_options.cc - dict -> PluginOptions.
#include "python_options.h"

#include <string>
#include <vector>

#include "ref.h"

namespace pyhooks {

namespace {

std::string repr_of(PyObject* value) {
  Ref<> text = Ref<>::steal(PyObject_Repr(value));
  if (!text) {
    PyErr_Clear();
    return "?";
  }
  const char* utf8 = PyUnicode_AsUTF8(text.get());
  if (utf8 == nullptr) {
    PyErr_Clear();
    return "?";
  }
  return utf8;
}

// All of the text, embedded NULs included (without_nul refuses those).
std::string utf8_of(PyObject* text) {
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(text, &size);
  if (utf8 == nullptr) {
    PyErr_Clear();
    return {};
  }
  return std::string(utf8, static_cast<size_t>(size));
}

Result<OptionValue> convert(const PluginDescriptor& plugin,
                            const OptionSpec& spec, PyObject* value) {
  if (PyUnicode_Check(value) && spec.type != PYHOOKS_OPTION_STRING &&
      spec.type != PYHOOKS_OPTION_STRING_LIST) {
    // Text from the command line or the environment.
    return option_from_text(plugin, spec, utf8_of(value));
  }
  switch (spec.type) {
    case PYHOOKS_OPTION_STRING:
      if (PyUnicode_Check(value)) {
        return OptionValue::of_string(utf8_of(value));
      }
      break;
    case PYHOOKS_OPTION_INT:
      if (PyLong_Check(value) && !PyBool_Check(value)) {
        int overflow = 0;
        long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow == 0) {
          return OptionValue::of_int(number);
        }
      }
      break;
    case PYHOOKS_OPTION_FLOAT:
      if ((PyFloat_Check(value) || PyLong_Check(value)) &&
          !PyBool_Check(value)) {
        double number = PyFloat_AsDouble(value);
        if (!PyErr_Occurred()) {
          return OptionValue::of_float(number);
        }
        PyErr_Clear();
      }
      break;
    case PYHOOKS_OPTION_BOOL:
      if (PyBool_Check(value)) {
        return OptionValue::of_bool(value == Py_True);
      }
      break;
    case PYHOOKS_OPTION_STRING_LIST:
      if (PyUnicode_Check(value)) {
        return option_from_text(plugin, spec, utf8_of(value));
      }
      if (PyList_Check(value) || PyTuple_Check(value)) {
        std::vector<std::string> items;
        Py_ssize_t size = PySequence_Size(value);
        for (Py_ssize_t i = 0; i < size; ++i) {
          PyObject* item = PySequence_Fast_GET_ITEM(value, i);
          if (!PyUnicode_Check(item)) {
            return option_type_error(plugin, spec, repr_of(value));
          }
          items.push_back(utf8_of(item));
        }
        return OptionValue::of_list(std::move(items));
      }
      break;
    default:
      break;
  }
  return option_type_error(plugin, spec, repr_of(value));
}

}  // namespace

Result<PluginOptions> options_from_python(const PluginDescriptor& plugin,
                                          PyObject* options) {
  PluginOptions result;
  if (options == nullptr || options == Py_None) {
    return result;
  }
  if (!PyDict_Check(options)) {
    return Error{"plugin '" + plugin.name + "': options must be a dict (got " +
                 repr_of(options) + ")"};
  }
  PyObject* key = nullptr;
  PyObject* value = nullptr;
  Py_ssize_t position = 0;
  while (PyDict_Next(options, &position, &key, &value)) {
    if (!PyUnicode_Check(key)) {
      return Error{"plugin '" + plugin.name +
                   "': option names must be "
                   "strings (got " +
                   repr_of(key) + ")"};
    }
    auto spec = declared_option(plugin, utf8_of(key));
    if (!spec) {
      return Error{spec.error()};
    }
    auto converted = convert(plugin, *spec.value(), value);
    if (converted) {
      converted = without_nul(plugin, *spec.value(), converted.value());
    }
    if (!converted) {
      return Error{converted.error()};
    }
    result.set(spec.value()->name, std::move(converted.value()));
  }
  return result;
}

}  // namespace pyhooks
