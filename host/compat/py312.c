/* host/compat/py312.c - compat.h for CPython 3.12.
 *
 * 3.12 facts this file relies on (docs/internals/compat.md has the sources):
 * - the CALLEE clears and pops a thread-owned frame; CPython's functions for
 *   that are not exported, so finishing a frame that no evaluator ran is done
 *   here (clear the references a fresh frame holds, pop the data stack);
 * - each C entry into _PyEval_EvalFrameDefault costs 2 units of
 *   c_recursion_remaining (PY_EVAL_C_STACK_UNITS, ceval.c); plain 3.12
 *   enters it from C only for frames that its bytecode does not push inline
 *   (phc_recursion_enter gives the units back for the others);
 * - deep-frozen code objects are immortal (shared by all interpreters).
 */
#include <Python.h>
#define Py_BUILD_CORE 1
#undef _PyGC_FINALIZED /* cpython#105268: clashes with the internal headers */
/* _PyOpcode_Deopt is not exported by libpython: the header defines a copy
 * here, kept out of the module's exports. */
#pragma GCC visibility push(hidden)
#define NEED_OPCODE_TABLES 1
#include "internal/pycore_opcode.h" /* _PyOpcode_Deopt */
#undef NEED_OPCODE_TABLES
#pragma GCC visibility pop
#include "internal/pycore_code.h"  /* _PyLocals_GetKind, CO_FAST_CELL */
#include "internal/pycore_frame.h" /* _PyInterpreterFrame, owners, states */
#undef Py_BUILD_CORE

#include "../runtime/checks.h"
#include "call_memo.h"
#include "compat.h"
#include "frames_312plus.h"
#include "value_stack.h"
#include "watchers_312.h"

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
  return frames312_function(frame->f_code, frame);
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
  return frames312_line(frame->f_code, frame);
}

PyObject* phc_frame_local(phc_frame* frame, int index, int started) {
  return frames312_local(frame->f_code, frame, index, started);
}

int phc_generator_frame_suspended(phc_frame* frame) {
  return _PyFrame_GetGenerator(frame)->gi_frame_state == FRAME_SUSPENDED;
}

/* The data-stack half of CPython's _PyThreadState_PopFrame (pystate.c). */
/* UpstreamBorrow: Python/pystate.c _PyThreadState_PopFrame, v3.12.1 */
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

/* UpstreamBorrow: Python/ceval.c clear_thread_frame (its owner assert is the
 * check below) and Python/frame.c _PyFrame_ClearExceptCode, v3.12.1 */
void phc_finish_unevaluated_frame(PyThreadState* tstate, phc_frame* frame) {
  if (!PYHOOKS_CHECK(frame->owner == FRAME_OWNED_BY_THREAD, "frame ownership"))
    return;
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

/* The instruction `caller` is executing, as plain CPython would run it: the
 * base opcode of its family (instrumentation and specialization removed),
 * with its argument in `oparg`; 0 when it is not known. */
static int executing_opcode(phc_frame* caller, int* oparg) {
  PyCodeObject* code = caller->f_code;
  _Py_CODEUNIT* instr = caller->prev_instr;
  int opcode = frames312_uninstrumented_opcode(code, instr);
  if (opcode == 0) {
    return 0;
  }
  switch (opcode) {
    case INSTRUMENTED_CALL:
      opcode = CALL;
      break;
    case INSTRUMENTED_CALL_FUNCTION_EX:
      opcode = CALL_FUNCTION_EX;
      break;
    case INSTRUMENTED_FOR_ITER:
      opcode = FOR_ITER;
      break;
    default:
      opcode = _PyOpcode_Deopt[opcode];
  }
  /* The low byte only: an EXTENDED_ARG prefix cannot be told from the
   * previous instruction's inline cache by looking backwards, and only a
   * call with 256 arguments or more needs it (then charged, as from C). */
  *oparg = instr->op.arg;
  return opcode;
}

/* Would plain 3.12 push `frame` inline from its caller's instruction, rather
 * than enter _PyEval_EvalFrameDefault from C? Plain 3.12 inlines a Python
 * function called by CALL or CALL_FUNCTION_EX, a generator resumed by SEND
 * or (specialized) FOR_ITER, and (specialized) a simple __getitem__ or
 * property getter that fits in the current data-stack chunk; with an eval-frame
 * function set, each of those calls the function from C, which is how the frame
 * reaches the hook. The caller's operands tell which object the instruction is
 * calling. */
__attribute__((noinline)) static int decide_from_instruction(
    PyThreadState* tstate, phc_frame* frame, phc_frame* caller,
    phc_call_memo* memo) {
  int oparg = 0;
  int opcode = executing_opcode(caller, &oparg);
  if (opcode == 0) {
    return 0;
  }
  PyCodeObject* caller_code = caller->f_code;
  phc_value_stack stack = {caller->localsplus + caller_code->co_nlocalsplus,
                           caller_code->co_stacksize};
  if (frame->owner == FRAME_OWNED_BY_GENERATOR) {
    PyObject* generator = (PyObject*)_PyFrame_GetGenerator(frame);
    int resumable = PyGen_CheckExact(generator) ||
                    (opcode == SEND && PyCoro_CheckExact(generator));
    return (opcode == SEND || opcode == FOR_ITER) && resumable &&
           phc_stack_holds(&stack, generator);
  }
  PyCodeObject* code = frame->f_code;
  if (!(code->co_flags & CO_OPTIMIZED)) {
    return 0; /* module or class body: run by exec or class creation, in C */
  }
  phc_callee callee = {frame->f_funcobj, code, frame->localsplus};
  /* The receiver of a __getitem__ or getter (read only for those). */
  PyObject* first = NULL;
  if (opcode == BINARY_SUBSCR || opcode == LOAD_ATTR) {
    first = code->co_nlocalsplus > 0 ? frame->localsplus[0] : NULL;
  }
  switch (opcode) {
    case CALL: {
      int at = phc_stack_find_call(&stack, PHC_NULL_BEFORE_CALLABLE, oparg, 0,
                                   &callee);
      if (at < 0) {
        return 0;
      }
      frames312_remember_call(memo, caller->prev_instr, at, 0);
      return 1;
    }
    case CALL_FUNCTION_EX:
      return phc_stack_holds_call_ex(&stack, PHC_NULL_BEFORE_CALLABLE, &callee);
    case BINARY_SUBSCR:
      return phc_code_is_simple(code, 2) && first != NULL &&
             !frames312_opened_a_chunk(tstate, frame) &&
             phc_stack_holds_pair(&stack, first, frame->localsplus[1]);
    case LOAD_ATTR:
      return !(oparg & 1) && phc_code_is_simple(code, 1) && first != NULL &&
             !frames312_opened_a_chunk(tstate, frame) &&
             Py_TYPE(first)->tp_getattro == PyObject_GenericGetAttr &&
             phc_stack_holds(&stack, first);
    default:
      return 0;
  }
}

/* The memo's prediction for a call from `caller` (call_memo.h): 1 only where
 * decide_from_instruction would answer 1, else 0 (then it decides). */
static inline int memo_predicts_inline(phc_frame* frame, phc_frame* caller,
                                       phc_call_memo* memo) {
  _Py_CODEUNIT* instr = caller->prev_instr;
  const phc_call_memo_entry* entry = phc_call_memo_entry_for(memo, instr);
  if (entry->instr != instr || entry->unit != instr->cache ||
      frame->owner == FRAME_OWNED_BY_GENERATOR) {
    return 0;
  }
  PyCodeObject* caller_code = caller->f_code;
  PyCodeObject* code = frame->f_code;
  if ((size_t)(instr - _PyCode_CODE(caller_code)) >=
          (size_t)Py_SIZE(caller_code) ||
      !(code->co_flags & CO_OPTIMIZED)) {
    return 0;
  }
  phc_value_stack stack = {caller->localsplus + caller_code->co_nlocalsplus,
                           caller_code->co_stacksize};
  phc_callee callee = {frame->f_funcobj, code, frame->localsplus};
  return phc_stack_call_matches_at(&stack, PHC_NULL_BEFORE_CALLABLE,
                                   instr->op.arg, entry->trailing, &callee,
                                   entry->slot);
}

static inline int pushed_inline_by_plain(PyThreadState* tstate,
                                         phc_frame* frame, int throwflag,
                                         phc_call_memo* memo) {
  phc_frame* caller = tstate->cframe->current_frame;
  if (throwflag || caller == NULL || caller->owner == FRAME_OWNED_BY_CSTACK) {
    return 0; /* throw() is a C call; no Python caller */
  }
  return memo_predicts_inline(frame, caller, memo) ||
         decide_from_instruction(tstate, frame, caller, memo);
}

/* Inline into the host's hook (LTO): it runs on every hooked call. */
__attribute__((always_inline)) inline void phc_recursion_enter(
    PyThreadState* tstate, phc_frame* frame, int throwflag, int stack_exhausted,
    phc_call_memo* memo, phc_recursion* state) {
  state->forced = stack_exhausted;
  state->saved = tstate->c_recursion_remaining;
  if (stack_exhausted) {
    tstate->c_recursion_remaining = 0;
  } else if (pushed_inline_by_plain(tstate, frame, throwflag, memo)) {
    tstate->c_recursion_remaining += PHC_EVAL_C_STACK_UNITS;
  }
}

__attribute__((always_inline)) inline void phc_recursion_leave(
    PyThreadState* tstate, const phc_recursion* state) {
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
  return tstate->current_exception;
}
/* ---- perf map: CPython's writer ---------------------------------------- */
int phc_has_perf_map_writer(void) { return 1; }

int phc_perf_map_write(const void* address, unsigned int size,
                       const char* name) {
  return PyUnstable_WritePerfMapEntry(address, size, name) == 0 ? 0 : -1;
}

void phc_perf_map_close(void) { PyUnstable_PerfMapState_Fini(); }

phc_vectorcall_fn phc_default_function_entry(void) {
  return _PyFunction_Vectorcall;
}
