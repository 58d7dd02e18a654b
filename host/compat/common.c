/* host/compat/common.c - the part of compat.h that is the same on every
 * supported CPython minor: it uses only public (non-limited) CPython API,
 * plus co_extra's holder layout, which has not changed since 3.7. Compiled
 * into every host module beside that minor's py3XX.c.
 */
#include <Python.h>

#include "compat.h"

/* co_extra's holder, private to Objects/codeobject.c and unchanged since 3.7:
 * read directly on the hot path (once per frame) instead of calling into
 * libpython. Writes still go through the API (py3XX.c). */
typedef struct phc_code_extra {
  Py_ssize_t ce_size;
  void* ce_extras[1];
} phc_code_extra;

phc_eval_fn phc_default_eval_frame(void) { return _PyEval_EvalFrameDefault; }

phc_eval_fn phc_get_eval_frame(PyInterpreterState* interp) {
  return _PyInterpreterState_GetEvalFrameFunc(interp);
}

void phc_set_eval_frame(PyInterpreterState* interp, phc_eval_fn fn) {
  _PyInterpreterState_SetEvalFrameFunc(interp, fn);
}

PyInterpreterState* phc_tstate_interp(PyThreadState* tstate) {
  return tstate->interp;
}

int phc_tstate_tracing(PyThreadState* tstate) { return tstate->tracing; }

uint64_t phc_tstate_thread_id(PyThreadState* tstate) {
  return (uint64_t)tstate->thread_id;
}

/* Inline into the host's hot paths (LTO): every dispatched frame reads it. */
__attribute__((always_inline)) inline void* phc_code_get_extra(
    PyObject* code, Py_ssize_t index) {
  phc_code_extra* extra = (phc_code_extra*)((PyCodeObject*)code)->co_extra;
  return (extra != NULL && index < extra->ce_size) ? extra->ce_extras[index]
                                                   : NULL;
}

int phc_code_arg_count(PyObject* code) {
  PyCodeObject* co = (PyCodeObject*)code;
  return co->co_argcount + co->co_kwonlyargcount;
}

int phc_code_is_generator(PyObject* code) {
  return (((PyCodeObject*)code)->co_flags &
          (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR)) != 0;
}

/* ---- plugin accessors (ABI 1.1) ----------------------------------------- */

int phc_code_local_count(PyObject* code) {
  return ((PyCodeObject*)code)->co_nlocalsplus;
}

PyObject* phc_code_local_name(PyObject* code, int index) {
  PyCodeObject* co = (PyCodeObject*)code;
  if (index < 0 || index >= co->co_nlocalsplus) {
    return NULL;
  }
  return PyTuple_GET_ITEM(co->co_localsplusnames, index);
}

uint64_t phc_tstate_unique_id(PyThreadState* tstate) { return tstate->id; }

uint64_t phc_tstate_native_id(PyThreadState* tstate) {
#ifdef PY_HAVE_THREAD_NATIVE_ID
  return (uint64_t)tstate->native_thread_id;
#else
  (void)tstate;
  return 0;
#endif
}

/* ---- function entries (ABI 1.1) ------------------------------------------ */

phc_vectorcall_fn phc_function_entry(PyObject* function) {
  return ((PyFunctionObject*)function)->vectorcall;
}

int phc_tstate_traced(PyThreadState* tstate) {
  return tstate->c_tracefunc != NULL || tstate->c_profilefunc != NULL;
}
