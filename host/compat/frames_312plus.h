/* host/compat/frames_312plus.h - frame and bytecode readers that 3.12 and
 * 3.13 share.
 *
 * The bodies are the same on both minors except for how a frame's code
 * object is reached (3.12: `f_code`; 3.13: `f_executable`) and which
 * instruction a frame is at (3.12: `prev_instr`; 3.13: `instr_ptr`), so the
 * caller passes those in. Included only by py312.c and py313.c, after their
 * CPython internal headers; everything here is static inline, so each file
 * compiles its own copy as before.
 */
#pragma once

/* The function object of a frame, NULL for a module or class body. */
static inline PyObject* frames312_function(PyCodeObject* code,
                                           phc_frame* frame) {
  if (!(code->co_flags & CO_OPTIMIZED)) {
    return NULL; /* module or class body: the function object is synthetic */
  }
  return frame->f_funcobj;
}

static inline int frames312_line(PyCodeObject* code, phc_frame* frame) {
  if (_PyInterpreterFrame_LASTI(frame) < 0) {
    return code->co_firstlineno;
  }
  return PyUnstable_InterpreterFrame_GetLine(frame);
}

/* Local `index` of the frame, a cell's content once the body has started
 * (its prologue wraps cells). */
static inline PyObject* frames312_local(PyCodeObject* code, phc_frame* frame,
                                        int index, int started) {
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

/* The opcode at `instr` with sys.monitoring's line and instruction
 * instrumentation removed (other INSTRUMENTED_* opcodes, which differ per
 * minor, are left to the caller); 0 when `instr` is outside the code or the
 * instrumentation data is missing. */
/* UpstreamBorrow: Python/instrumentation.c _Py_GetBaseOpcode (its
 * INSTRUMENTED_LINE and INSTRUMENTED_INSTRUCTION lookups), v3.12.1 and
 * v3.13.0 */
static inline int frames312_uninstrumented_opcode(PyCodeObject* code,
                                                  _Py_CODEUNIT* instr) {
  Py_ssize_t offset = instr - _PyCode_CODE(code);
  if (offset < 0 || offset >= Py_SIZE(code)) {
    return 0;
  }
  int opcode = instr->op.code;
  _PyCoMonitoringData* monitoring = code->_co_monitoring;
  if (opcode == INSTRUMENTED_LINE) {
    if (monitoring == NULL || monitoring->lines == NULL) {
      return 0;
    }
    opcode = monitoring->lines[offset].original_opcode;
  }
  if (opcode == INSTRUMENTED_INSTRUCTION) {
    if (monitoring == NULL || monitoring->per_instruction_opcodes == NULL) {
      return 0;
    }
    opcode = monitoring->per_instruction_opcodes[offset];
  }
  return opcode;
}

/* Did pushing `frame` open a new data-stack chunk? Plain CPython's
 * specialized BINARY_SUBSCR and LOAD_ATTR push a frame inline only where the
 * current chunk has room for it (_PyThreadState_HasStackSpace), and go the
 * C way otherwise; the test for room is the one the push made. */
static inline int frames312_opened_a_chunk(PyThreadState* tstate,
                                           phc_frame* frame) {
  return (PyObject**)frame == &tstate->datastack_chunk->data[0];
}

/* Remembers the call instruction `instr` (the caller's current one) whose
 * callee's function was found at stack `slot`, `trailing` slots above the
 * arguments (3.13's CALL_KW: the kwnames tuple). Units whose real opcode is
 * in a side table are not remembered (call_memo.h). */
static inline void frames312_remember_call(phc_call_memo* memo,
                                           _Py_CODEUNIT* instr, int slot,
                                           int trailing) {
  int opcode = instr->op.code;
  if (opcode != INSTRUMENTED_LINE && opcode != INSTRUMENTED_INSTRUCTION) {
    phc_call_memo_remember(memo, instr, instr->cache, trailing, slot);
  }
}
