// plugins/native_names/cpython_trampoline.cc - asks sys whether CPython's
// own perf trampoline is on (limited API: one binary for 3.11-3.13).
#include "cpython_trampoline.h"

#define Py_LIMITED_API 0x030B0000
#include <Python.h>

#include <cstdlib>
#include <cstring>

namespace native_names {

namespace {

bool said_true(PyObject* value) {  // steals `value`
  if (value == nullptr) {
    PyErr_Clear();
    return false;
  }
  bool yes = PyObject_IsTrue(value) == 1;
  Py_DECREF(value);
  PyErr_Clear();
  return yes;
}

bool environment_on(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && std::atoi(value) > 0;
}

bool started_with_trampoline(PyObject* sys) {
  PyObject* xoptions = PyObject_GetAttrString(sys, "_xoptions");
  bool on = false;
  if (xoptions != nullptr && PyDict_Check(xoptions)) {
    on = PyDict_GetItemString(xoptions, "perf") != nullptr ||
         PyDict_GetItemString(xoptions, "perf_jit") != nullptr;
  }
  Py_XDECREF(xoptions);
  PyErr_Clear();
  return on || environment_on("PYTHONPERFSUPPORT") ||
         environment_on("PYTHON_PERF_JIT_SUPPORT");
}

}  // namespace

bool cpython_trampoline_active() {
  PyObject* sys = PyImport_ImportModule("sys");
  if (sys == nullptr) {
    PyErr_Clear();
    return false;
  }
  bool active = false;
  if (PyObject_HasAttrString(sys, "is_stack_trampoline_active")) {
    active = said_true(PyObject_CallMethod(sys, "is_stack_trampoline_active",
                                           nullptr)) ||
             started_with_trampoline(sys);
  }
  Py_DECREF(sys);
  return active;
}

}  // namespace native_names
