// plugins/jit/python_data.h - <Python.h>, with Python's data symbols weak.
//
// `pyhooks check`, `list` and `inspect` read the jit's descriptor without a
// Python process (plugin ABI: the entry fills static descriptors only). The
// loader can leave the library's *function* references unbound (RTLD_LAZY),
// but not its *data* references (&PyLong_Type, Py_None, ...): those are
// bound when the library is mapped, and with no libpython there the mapping
// fails. Declared weak, they bind to null outside Python and to the real
// objects inside it, where the host has made libpython's symbols visible.
// python_data_bound() checks that at start-up (JitPlugin's constructor).
//
// Every data symbol the jit uses must be listed here; the CLI test
// (tests/cli, `pyhooks check -p native_names -p jit`) fails if one is not,
// naming the symbol. Include this header, never <Python.h> directly, in a
// file of pyhooks_jit.so that touches Python objects.
#pragma once

#include <Python.h>

#pragma weak _Py_NoneStruct
#pragma weak _Py_TrueStruct
#pragma weak PyBool_Type
#pragma weak PyLong_Type
#pragma weak PyFloat_Type
#pragma weak PyRange_Type
#pragma weak PyModule_Type
#pragma weak PyFunction_Type
#pragma weak PyCFunction_Type
#pragma weak PyUnicode_Type
#pragma weak PyList_Type
#pragma weak PyTuple_Type

namespace jit {

// True inside a Python process: every weak data symbol above is bound.
inline bool python_data_bound() {
  const void* const objects[] = {
      &_Py_NoneStruct,   &_Py_TrueStruct, &PyBool_Type,   &PyLong_Type,
      &PyFloat_Type,     &PyRange_Type,   &PyModule_Type, &PyFunction_Type,
      &PyCFunction_Type, &PyUnicode_Type, &PyList_Type,   &PyTuple_Type};
  for (const void* object : objects) {
    if (object == nullptr) return false;
  }
  return true;
}

}  // namespace jit
