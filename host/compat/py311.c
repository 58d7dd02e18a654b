/* host/compat/py311.c - compat.h for CPython 3.11.
 *
 * 3.11 facts this file relies on (docs/internals/compat.md has the sources):
 * - frames live on the thread's data stack; the CALLER (_PyEval_Vector) clears
 *   and pops a thread-owned frame after the evaluator returns, so a frame an
 *   evaluator handled needs nothing more from the host;
 * - one recursion counter covers Python and C; a hooked call adds no units,
 *   only real C stack (guarded by the host);
 * - no PyUnstable_InterpreterFrame_* accessors: fields are read directly.
 */
#include <Python.h>
#define Py_BUILD_CORE 1
#include "internal/pycore_code.h"  /* _PyLocals_GetKind, CO_FAST_CELL */
#include "internal/pycore_frame.h" /* _PyInterpreterFrame, owners, states */
#undef Py_BUILD_CORE

#include "compat.h"

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030C0000
#error "py311.c is for CPython 3.11 only"
#endif

/* Deep-frozen code objects start at this reference count (3.11 has no
 * immortal objects; see Tools/scripts/deepfreeze.py). */
#define PHC_STATIC_REFCNT_FLOOR 100000000

void phc_tstate_enter_tracing(PyThreadState* tstate) {
  PyThreadState_EnterTracing(tstate);
}

void phc_tstate_leave_tracing(PyThreadState* tstate) {
  PyThreadState_LeaveTracing(tstate);
}

phc_frame* phc_tstate_current_frame(PyThreadState* tstate) {
  return tstate->cframe->current_frame;
}

PyThreadState* phc_current_tstate(void) {
  return _PyThreadState_UncheckedGet();
}

void phc_error_save(phc_saved_error* saved) {
  PyErr_Fetch(&saved->type, &saved->value, &saved->traceback);
  if (saved->type != NULL) {
    /* 3.12+ always hold an instance; make 3.11 hold one too. */
    PyErr_NormalizeException(&saved->type, &saved->value, &saved->traceback);
  }
}

int phc_error_pending(PyThreadState* tstate) {
  return tstate->curexc_type != NULL;
}

void phc_error_restore(phc_saved_error* saved) {
  PyErr_Restore(saved->type, saved->value, saved->traceback);
  saved->type = saved->value = saved->traceback = NULL;
}

PyObject* phc_frame_code(phc_frame* frame) { return (PyObject*)frame->f_code; }

PyObject* phc_frame_function(phc_frame* frame) {
  if (!(frame->f_code->co_flags & CO_OPTIMIZED)) {
    return NULL; /* module or class body: the function object is synthetic */
  }
  return (PyObject*)frame->f_func;
}

PyObject* phc_frame_globals(phc_frame* frame) { return frame->f_globals; }

static int body_started(phc_frame* frame) {
  return _PyInterpreterFrame_LASTI(frame) >= frame->f_code->_co_firsttraceable;
}

phc_entry phc_frame_entry(phc_frame* frame, int throwflag) {
  if (frame->owner == FRAME_OWNED_BY_GENERATOR) {
    return (throwflag || body_started(frame)) ? PHC_ENTRY_GEN_RESUME
                                              : PHC_ENTRY_GEN_START;
  }
  return phc_code_is_generator((PyObject*)frame->f_code) ? PHC_ENTRY_GEN_CREATE
                                                         : PHC_ENTRY_CALL;
}

/* UpstreamBorrow: Python/frame.c _PyInterpreterFrame_GetLine (not exported
 * in 3.11), v3.11.7 */
int phc_frame_line(phc_frame* frame) {
  int lasti = _PyInterpreterFrame_LASTI(frame);
  if (lasti < 0) {
    return frame->f_code->co_firstlineno;
  }
  return PyCode_Addr2Line(frame->f_code, lasti * (int)sizeof(_Py_CODEUNIT));
}

PyObject* phc_frame_local(phc_frame* frame, int index, int started) {
  PyCodeObject* code = frame->f_code;
  if (index < 0 || index >= code->co_nlocalsplus) {
    return NULL;
  }
  PyObject* value = frame->localsplus[index];
  if (started && value != NULL &&
      (_PyLocals_GetKind(code->co_localspluskinds, index) & CO_FAST_CELL) &&
      PyCell_Check(value)) {
    return PyCell_GET(value);
  }
  return value;
}

int phc_generator_frame_suspended(phc_frame* frame) {
  return _PyFrame_GetGenerator(frame)->gi_frame_state == FRAME_SUSPENDED;
}

void phc_finish_unevaluated_frame(PyThreadState* tstate, phc_frame* frame) {
  /* _PyEval_Vector clears and pops it once we return. */
  (void)tstate;
  (void)frame;
}

/* 3.11 counts a hooked call like an inlined one (one unit of the shared
 * counter), so only a forced RecursionError needs doing. */
void phc_recursion_enter(PyThreadState* tstate, phc_frame* frame, int throwflag,
                         int stack_exhausted, phc_call_memo* memo,
                         phc_recursion* state) {
  (void)frame;
  (void)throwflag;
  (void)memo;
  state->forced = stack_exhausted;
  state->saved = tstate->recursion_remaining;
  if (stack_exhausted) {
    tstate->recursion_remaining = 0;
  }
}

void phc_recursion_leave(PyThreadState* tstate, const phc_recursion* state) {
  if (state->forced) {
    tstate->recursion_remaining = state->saved;
  }
}

int phc_code_is_static(PyObject* code) {
  return Py_REFCNT(code) >= PHC_STATIC_REFCNT_FLOOR;
}

Py_ssize_t phc_code_request_extra_index(freefunc free_fn) {
  return _PyEval_RequestCodeExtraIndex(free_fn);
}

int phc_code_set_extra(PyObject* code, Py_ssize_t index, void* value) {
  return _PyCode_SetExtra(code, index, value);
}

void phc_module_interpreter_slot(PyModuleDef_Slot* slot) {
  slot->slot = 0; /* 3.11 has no Py_mod_multiple_interpreters */
  slot->value = NULL;
}

int phc_minor(void) { return 11; }
int phc_has_monitoring(void) { return 0; }

/* ---- plugin accessors (ABI 1.1) ----------------------------------------- */

int phc_code_local_kind(PyObject* code, int index) {
  PyCodeObject* co = (PyCodeObject*)code;
  if (index < 0 || index >= co->co_nlocalsplus) {
    return 0;
  }
  _PyLocals_Kind kind = _PyLocals_GetKind(co->co_localspluskinds, index);
  return ((kind & CO_FAST_CELL) ? PHC_LOCAL_CELL : 0) |
         ((kind & CO_FAST_FREE) ? PHC_LOCAL_FREE : 0);
}

PyObject* phc_frame_builtins(phc_frame* frame) { return frame->f_builtins; }

PyObject* phc_error_value(PyThreadState* tstate) {
  if (tstate->curexc_type == NULL) {
    return NULL;
  }
  /* 3.11 may hold an exception unnormalized (a type and a raw value) until
   * it is caught; normalizing it now is what catching it would do. */
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  if (traceback != NULL && value != NULL) {
    PyException_SetTraceback(value, traceback);
  }
  PyErr_Restore(type, value, traceback);
  return tstate->curexc_value;
}
/* ---- perf map: 3.11 has no writer, the host writes the file -------------- */
int phc_has_perf_map_writer(void) { return 0; }

int phc_perf_map_write(const void* address, unsigned int size,
                       const char* name) {
  (void)address;
  (void)size;
  (void)name;
  return -1;
}

void phc_perf_map_close(void) {}

/* ---- watchers and function entries: not in 3.11 ------------------------- */
/* CPython 3.11 has no dict/function/code/type watchers, and its CALL pushes
 * a Python function's frame inline without reading the function's
 * vectorcall, so a host-mediated entry could not see Python callers. The
 * host answers E_UNSUPPORTED (docs/internals/plugin-abi.md, HOST-24). */

int phc_has_watchers(void) { return 0; }

int phc_watcher_add(int kind) {
  (void)kind;
  PyErr_SetString(PyExc_SystemError, "pyhooks: CPython 3.11 has no watchers");
  return -1;
}

void phc_watcher_clear(int kind, int id) {
  (void)kind;
  (void)id;
}

int phc_watch_object(int kind, int id, PyObject* object) {
  (void)kind;
  (void)id;
  (void)object;
  PyErr_SetString(PyExc_SystemError, "pyhooks: CPython 3.11 has no watchers");
  return -1;
}

void phc_unwatch_object(int kind, int id, PyObject* object) {
  (void)kind;
  (void)id;
  (void)object;
}

int phc_has_function_entry(void) { return 0; }

void phc_function_set_entry(PyObject* function, phc_vectorcall_fn entry) {
  (void)function;
  (void)entry;
}

phc_vectorcall_fn phc_default_function_entry(void) {
  return _PyFunction_Vectorcall;
}
