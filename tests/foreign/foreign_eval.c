/* tests/foreign/foreign_eval.c - `_pyhooks_test_foreign`, a stand-in for a
 * foreign tool (a debugger, Dynamo) that writes the eval-frame slot itself.
 *
 * install(): saves whatever evaluator is in the slot and installs its own,
 * which counts frames and calls the saved one (the chaining convention
 * PEP 523 users follow). uninstall(): puts the saved one back if the slot is
 * still its own. Uses only public (non-limited) CPython API, so it is built
 * per CPython ABI like the host.
 */
#include <Python.h>

typedef PyObject* (*eval_fn)(PyThreadState*, struct _PyInterpreterFrame*, int);

static eval_fn previous;
static long long frames;

static PyObject* foreign_eval(PyThreadState* tstate,
                              struct _PyInterpreterFrame* frame,
                              int throwflag) {
  ++frames;
  return previous(tstate, frame, throwflag);
}

static PyObject* install(PyObject* module, PyObject* unused) {
  (void)module;
  (void)unused;
  PyInterpreterState* interp = PyInterpreterState_Get();
  eval_fn current = _PyInterpreterState_GetEvalFrameFunc(interp);
  if (current != foreign_eval) {
    previous = current;
    _PyInterpreterState_SetEvalFrameFunc(interp, foreign_eval);
  }
  Py_RETURN_NONE;
}

static PyObject* uninstall(PyObject* module, PyObject* unused) {
  (void)module;
  (void)unused;
  PyInterpreterState* interp = PyInterpreterState_Get();
  if (_PyInterpreterState_GetEvalFrameFunc(interp) == foreign_eval) {
    _PyInterpreterState_SetEvalFrameFunc(interp, previous);
  }
  Py_RETURN_NONE;
}

static PyObject* installed(PyObject* module, PyObject* unused) {
  (void)module;
  (void)unused;
  return PyBool_FromLong(_PyInterpreterState_GetEvalFrameFunc(
                             PyInterpreterState_Get()) == foreign_eval);
}

/* True if no custom evaluator is in the slot. */
static PyObject* slot_is_default(PyObject* module, PyObject* unused) {
  (void)module;
  (void)unused;
  return PyBool_FromLong(
      _PyInterpreterState_GetEvalFrameFunc(PyInterpreterState_Get()) ==
      _PyEval_EvalFrameDefault);
}

static PyObject* count(PyObject* module, PyObject* unused) {
  (void)module;
  (void)unused;
  return PyLong_FromLongLong(frames);
}

static PyMethodDef methods[] = {
    {"install", install, METH_NOARGS, NULL},
    {"uninstall", uninstall, METH_NOARGS, NULL},
    {"installed", installed, METH_NOARGS, NULL},
    {"slot_is_default", slot_is_default, METH_NOARGS, NULL},
    {"count", count, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT,
                                    "_pyhooks_test_foreign",
                                    NULL,
                                    -1,
                                    methods,
                                    NULL,
                                    NULL,
                                    NULL,
                                    NULL};

PyMODINIT_FUNC PyInit__pyhooks_test_foreign(void) {
  return PyModule_Create(&module);
}
