// tests/unit/runtime/fake_cpython.h - the link seam that lets host/runtime's
// CodeStates, ShadowStacks and chain building run without an interpreter.
//
// runtime_unit_tests links those host sources with fake_cpython.cc instead
// of a host/compat/py31x.c and libpython: the few CPython entry points they
// reach (co_extra get/set, the thread's pending error, PyErr_*) and the few
// host functions outside the tested files (report_*,
// DispatchContext::plugin_failed) are defined there, recording what they
// were asked. No virtual call and no template parameter is added to the hot
// path: the seam is the linker's.
#pragma once

#include <Python.h>

#include <string>
#include <vector>

namespace fake_cpython {

// A distinct address standing for a code object (never dereferenced).
PyObject* new_code();
// Marks `code` as a static (immortal, shared) code object.
void set_static(PyObject* code);
// The code object dies: CPython calls the co_extra freefunc for each index.
void code_dies(PyObject* code);
// Makes the next CodeStates::create fail as when all 254 indices are taken.
void exhaust_extra_indices(bool exhausted);
// The next index requested is `index` (as two interpreters' indices may
// coincide for a code object they share).
void force_next_index(Py_ssize_t index);
// Makes the next phc_code_set_extra fail (out of memory in CPython).
void fail_next_set_extra();
// The message of the last PyErr_SetString, "" after PyErr_Clear.
const std::string& pending_error();
// Lines the host reported (report_error/warning/info), in order.
std::vector<std::string>& reports();
// Calls of DispatchContext::plugin_failed, as "plugin:callback:event".
std::vector<std::string>& failures();
// Forgets every code object and recorded call.
void reset();

}  // namespace fake_cpython
