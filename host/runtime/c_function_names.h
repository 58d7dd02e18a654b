// host/runtime/c_function_names.h - cProfile's names for C functions, for
// the host function c_function_name (ABI 1.1, plugin ABI policy HOST-22).
//
// A C-call event (C_CALL, C_RETURN, C_RAISE) carries the callable and, for
// a method descriptor, the object it is called on. cProfile names such a
// function once per PyMethodDef and keeps that name ("<built-in method
// time.sleep>", "<method 'sort' of 'list' objects>"); this cache does the
// same, so a plugin's name and key for a C function are a hash lookup after
// its first call. One cache per interpreter; names live until it ends.
#pragma once

#include <Python.h>

#include <string>
#include <unordered_map>

namespace pyhooks {

class CFunctionNames {
 public:
  // True for the callables C-call events are delivered for: builtin
  // functions and methods (PyCFunction) and method descriptors called on an
  // object (`self_arg` not NULL).
  // Inline, exact types first: CALL fires for every call, most of them of
  // Python functions, and PyCFunction_Check alone walks such a type's MRO.
  static bool is_c_function(PyObject* callable, PyObject* self_arg) {
    PyTypeObject* type = Py_TYPE(callable);
    if (type == &PyFunction_Type) return false;
    if (type == &PyMethodDescr_Type) return self_arg != nullptr;
    return PyCFunction_Check(callable);
  }

  // The name and key of `callable` (is_c_function holds), made on first
  // use. nullptr only when memory ran out. GIL held; no Python code runs.
  const std::string* find(PyObject* callable, PyObject* self_arg,
                          const void** key);

 private:
  std::unordered_map<const void*, std::string> names_;  // by PyMethodDef
};

}  // namespace pyhooks
