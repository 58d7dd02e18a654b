// host/runtime/report.cc - writing the host's messages.
#include "report.h"

#include <Python.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "../compat/compat.h"
#include "error_stash.h"
#include "ref.h"

namespace pyhooks {

namespace {

bool verbose() {
  const char* value = std::getenv("PYHOOKS_VERBOSE");
  return value != nullptr && std::strcmp(value, "") != 0 &&
         std::strcmp(value, "0") != 0;
}

void write_line(const std::string& line) {
  // Keep whatever exception is being raised; writing may run Python code.
  ErrorStash stash;
  BorrowedRef<> stream = PySys_GetObject("stderr");
  bool written = false;
  if (stream != nullptr && stream != Py_None) {
    written = PyFile_WriteString(line.c_str(), stream) == 0;
    if (!written) {
      PyErr_Clear();
    }
  }
  if (!written) {
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }
}

}  // namespace

std::string text_of(PyObject* text) {
  const char* value = text != nullptr && PyUnicode_Check(text)
                          ? PyUnicode_AsUTF8(text)
                          : nullptr;
  if (value == nullptr) {
    PyErr_Clear();
    return "?";
  }
  return value;
}

std::string take_exception_text() {
  if (!PyErr_Occurred()) {
    return {};
  }
  phc_saved_error saved{};
  phc_error_save(&saved);
  PyObject* value = saved.value != nullptr ? saved.value : saved.type;
  std::string text = "exception";
  if (value != nullptr) {
    PyTypeObject* type = PyExceptionInstance_Check(value)
                             ? Py_TYPE(value)
                             : reinterpret_cast<PyTypeObject*>(value);
    text = PyType_Check(reinterpret_cast<PyObject*>(type)) ? type->tp_name
                                                           : "exception";
    Ref<> message = Ref<>::steal(PyObject_Str(value));
    if (message && PyUnicode_GetLength(message.get()) > 0 &&
        PyExceptionInstance_Check(value)) {
      text += ": " + text_of(message.get());
    }
    PyErr_Clear();
  }
  Py_XDECREF(saved.type);
  Py_XDECREF(saved.value);
  Py_XDECREF(saved.traceback);
  return text;
}

void report_info(const std::string& message) {
  if (verbose()) {
    write_line("pyhooks: " + message + "\n");
  }
}

void report_warning(const std::string& message) {
  write_line("pyhooks: warning: " + message + "\n");
}

void report_error(const std::string& message) {
  write_line("pyhooks: error: " + message + "\n");
}

}  // namespace pyhooks
