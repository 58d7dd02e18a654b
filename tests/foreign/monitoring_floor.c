/* tests/foreign/monitoring_floor.c - `_pyhooks_test_monitoring_floor`: the
 * cheapest possible sys.monitoring tool (CPython 3.12+), the floor an
 * observer on sys.monitoring is measured against (bench/host/).
 *
 * noop is a METH_FASTCALL C function that returns None: register it with
 * sys.monitoring.register_callback for any event and the tool costs only
 * what CPython's instrumentation costs. Public C API only.
 */
#include <Python.h>

static PyObject* noop(PyObject* module, PyObject* const* args,
                      Py_ssize_t nargs) {
  (void)module;
  (void)args;
  (void)nargs;
  Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"noop", (PyCFunction)(void (*)(void))noop, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT,
                                    "_pyhooks_test_monitoring_floor",
                                    NULL,
                                    -1,
                                    methods,
                                    NULL,
                                    NULL,
                                    NULL,
                                    NULL};

PyMODINIT_FUNC PyInit__pyhooks_test_monitoring_floor(void) {
  return PyModule_Create(&module);
}
