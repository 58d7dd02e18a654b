/* host/compat/py312.c - compat.h for CPython 3.12.
 *
 * 3.12 facts this file relies on (docs/internals/compat.md has the sources):
 * - the CALLEE clears and pops a thread-owned frame; CPython's functions for
 *   that are not exported, so finishing a frame that no evaluator ran is done
 *   here (clear the references a fresh frame holds, pop the data stack);
 * - each C entry into _PyEval_EvalFrameDefault costs 2 units of
 *   c_recursion_remaining (PY_EVAL_C_STACK_UNITS, ceval.c);
 * - deep-frozen code objects are immortal (shared by all interpreters).
 */
#include <Python.h>
#define Py_BUILD_CORE 1
#undef _PyGC_FINALIZED /* cpython#105268: clashes with the internal headers */
#include "internal/pycore_code.h"  /* _PyLocals_GetKind, CO_FAST_CELL */
#include "internal/pycore_frame.h" /* _PyInterpreterFrame, owners, states */
#undef Py_BUILD_CORE

#include "compat.h"

#if PY_VERSION_HEX < 0x030C0000 || PY_VERSION_HEX >= 0x030D0000
#error "py312.c is for CPython 3.12 only"
#endif

/* PY_EVAL_C_STACK_UNITS in Python/ceval.c */
#define PHC_EVAL_C_STACK_UNITS 2

/* What PyThreadState_Enter/LeaveTracing do on this minor, without a call
 * into libpython for every event. */
void phc_tstate_enter_tracing(PyThreadState* tstate) { tstate->tracing++; }

void phc_tstate_leave_tracing(PyThreadState* tstate) { tstate->tracing--; }

phc_frame* phc_tstate_current_frame(PyThreadState* tstate) {
  return tstate->cframe->current_frame;
}

PyThreadState* phc_current_tstate(void) {
  return _PyThreadState_UncheckedGet();
}

void phc_error_save(phc_saved_error* saved) {
  saved->type = NULL;
  saved->traceback = NULL;
  saved->value = PyErr_GetRaisedException();
}

int phc_error_pending(PyThreadState* tstate) {
  return tstate->current_exception != NULL;
}

void phc_error_restore(phc_saved_error* saved) {
  PyErr_SetRaisedException(saved->value);
  saved->value = NULL;
}

PyObject* phc_frame_code(phc_frame* frame) { return (PyObject*)frame->f_code; }

PyObject* phc_frame_function(phc_frame* frame) {
  if (!(frame->f_code->co_flags & CO_OPTIMIZED)) {
    return NULL; /* module or class body: the function object is synthetic */
  }
  return frame->f_funcobj;
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

int phc_frame_line(phc_frame* frame) {
  if (_PyInterpreterFrame_LASTI(frame) < 0) {
    return frame->f_code->co_firstlineno;
  }
  return PyUnstable_InterpreterFrame_GetLine(frame);
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

/* The data-stack half of CPython's _PyThreadState_PopFrame (pystate.c). */
static void pop_thread_frame(PyThreadState* tstate, phc_frame* frame) {
  PyObject** base = (PyObject**)frame;
  _PyStackChunk* chunk = tstate->datastack_chunk;
  if (base == &chunk->data[0]) {
    /* The frame opened a chunk; the root chunk is never popped. */
    _PyStackChunk* previous = chunk->previous;
    tstate->datastack_top = &previous->data[previous->top];
    tstate->datastack_chunk = previous;
    tstate->datastack_limit = (PyObject**)(((char*)previous) + previous->size);
    PyObjectArenaAllocator arena;
    PyObject_GetArenaAllocator(&arena);
    arena.free(arena.ctx, chunk, chunk->size);
  } else {
    tstate->datastack_top = base;
  }
}

void phc_finish_unevaluated_frame(PyThreadState* tstate, phc_frame* frame) {
  /* A fresh frame was never linked and has no frame object; it holds
   * strong references to its locals (the arguments), f_locals, the function
   * and the code object (_PyFrame_Initialize). Clear first, then pop, as
   * CPython's clear_thread_frame does: finalizers may push frames above. */
  for (int i = 0; i < frame->stacktop; i++) {
    Py_XDECREF(frame->localsplus[i]);
  }
  Py_XDECREF(frame->f_locals);
  Py_DECREF(frame->f_funcobj);
  Py_DECREF(frame->f_code);
  pop_thread_frame(tstate, frame);
}

void phc_recursion_enter(PyThreadState* tstate, int stack_exhausted,
                         phc_recursion* state) {
  state->forced = stack_exhausted;
  state->saved = tstate->c_recursion_remaining;
  if (stack_exhausted) {
    tstate->c_recursion_remaining = 0;
  } else {
    tstate->c_recursion_remaining += PHC_EVAL_C_STACK_UNITS;
  }
}

void phc_recursion_leave(PyThreadState* tstate, const phc_recursion* state) {
  tstate->c_recursion_remaining = state->saved;
}

int phc_code_is_static(PyObject* code) { return _Py_IsImmortal(code); }

Py_ssize_t phc_code_request_extra_index(freefunc free_fn) {
  return PyUnstable_Eval_RequestCodeExtraIndex(free_fn);
}

int phc_code_set_extra(PyObject* code, Py_ssize_t index, void* value) {
  return PyUnstable_Code_SetExtra(code, index, value);
}

void phc_module_interpreter_slot(PyModuleDef_Slot* slot) {
  slot->slot = Py_mod_multiple_interpreters;
  slot->value = Py_MOD_PER_INTERPRETER_GIL_SUPPORTED;
}

int phc_minor(void) { return 12; }
int phc_has_monitoring(void) { return 1; }

/* ---- perf map: CPython's writer ---------------------------------------- */
int phc_has_perf_map_writer(void) { return 1; }

int phc_perf_map_write(const void* address, unsigned int size,
                       const char* name) {
  return PyUnstable_WritePerfMapEntry(address, size, name) == 0 ? 0 : -1;
}

void phc_perf_map_close(void) { PyUnstable_PerfMapState_Fini(); }
