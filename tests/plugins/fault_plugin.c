/* tests/plugins/fault_plugin.c - `fault`, a plugin that misbehaves on
 * purpose, in the way its `mode` option names, at the code object whose
 * qualname is its `target` option ("victim" by default). Used by
 * tests/reliability to check that every kind of plugin failure gives one
 * clear line naming the plugin and leaves the program's output and exit
 * status unchanged (or fails cleanly under strict).
 *
 * Modes:
 *   init_error             init returns ERROR
 *   observer_error         on_event returns ERROR, no exception set
 *   observer_exception     on_event sets a Python exception, returns ERROR
 *   observer_leaves_exception  on_event sets an exception, returns OK
 *   evaluator_error        evaluate returns ERROR without an exception
 *   handled_null           evaluate returns HANDLED with a NULL result
 *   unknown_status         evaluate returns 42
 *   evaluator_leaves_exception  evaluate sets an exception, returns DECLINED
 *   free_raises            code_free sets a Python exception
 *   slow                   sleeps 50 ms in every event for the target
 *   slow_init              says "fault: init sleeps" on stderr, then sleeps
 *                          400 ms in init (a long start-up window)
 *   slot_writer            writes the eval-frame slot itself at init
 *   heap_overflow          writes one byte past a heap block at init: only
 *                          for checking that a sanitizer build catches it
 */
#define Py_LIMITED_API 0x030B0000
#include <Python.h>
#include <pyhooks/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct fault_state {
  const char* mode;
  const char* target;
} fault_state;

static fault_state state;

static int is(const char* mode) { return strcmp(state.mode, mode) == 0; }

static int on_target(pyhooks_plugin* self, struct _object* code) {
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  return self->api->code_info(self, code, &info) == PYHOOKS_OK &&
         strcmp(info.qualname, state.target) == 0;
}

/* The slot writer swaps in an evaluator of its own that chains to whatever
 * was there (it misbehaves only by not going through pyhooks). These two
 * CPython functions are outside the limited API; declared here with the
 * frame type left opaque. */
typedef PyObject* (*eval_fn)(void* tstate, void* frame, int throwflag);
extern eval_fn _PyInterpreterState_GetEvalFrameFunc(PyInterpreterState*);
extern void _PyInterpreterState_SetEvalFrameFunc(PyInterpreterState*, eval_fn);
static eval_fn previous_eval;
static PyObject* writer_eval(void* tstate, void* frame, int throwflag) {
  return previous_eval(tstate, frame, throwflag);
}

static pyhooks_status fault_init(pyhooks_plugin* self) {
  state.mode = "none";
  state.target = "victim";
  self->api->option_string(self, "mode", &state.mode);
  self->api->option_string(self, "target", &state.target);
  if (is("init_error")) {
    self->api->log(self, PYHOOKS_LOG_ERROR, "fault: init fails (mode)");
    return PYHOOKS_ERROR;
  }
  if (is("slow_init")) {
    fputs("fault: init sleeps\n", stderr);
    fflush(stderr);
    struct timespec pause = {0, 400 * 1000 * 1000};
    while (nanosleep(&pause, &pause) != 0) {
    }
  }
  if (is("heap_overflow")) {
    volatile size_t past_the_end = 8; /* opaque to the compiler's checks */
    volatile char* block = malloc(8);
    block[past_the_end] = 1; /* deliberately out of bounds */
    free((void*)block);
  }
  if (is("slot_writer")) {
    PyInterpreterState* interp = PyInterpreterState_Get();
    previous_eval = _PyInterpreterState_GetEvalFrameFunc(interp);
    _PyInterpreterState_SetEvalFrameFunc(interp, writer_eval);
  }
  return PYHOOKS_OK;
}

static pyhooks_status fault_event(pyhooks_plugin* self, pyhooks_event event,
                                  const pyhooks_frame* frame) {
  (void)event;
  if (!on_target(self, frame->code)) {
    return PYHOOKS_OK;
  }
  if (is("free_raises")) {
    self->api->code_slot(self, frame->code); /* owe a code_free */
  }
  if (is("slow")) {
    struct timespec pause = {0, 50 * 1000 * 1000};
    nanosleep(&pause, NULL);
  }
  if (is("observer_error")) {
    return PYHOOKS_ERROR;
  }
  if (is("observer_exception")) {
    PyErr_SetString(PyExc_ValueError, "fault: observer raised");
    return PYHOOKS_ERROR;
  }
  if (is("observer_leaves_exception")) {
    PyErr_SetString(PyExc_KeyError, "fault: left set");
    return PYHOOKS_OK;
  }
  return PYHOOKS_OK;
}

static pyhooks_status fault_evaluate(pyhooks_plugin* self, pyhooks_frame* frame,
                                     struct _object** result) {
  if (!on_target(self, frame->code)) {
    return PYHOOKS_DECLINED;
  }
  if (is("evaluator_error")) {
    return PYHOOKS_ERROR;
  }
  if (is("handled_null")) {
    *result = NULL;
    return PYHOOKS_HANDLED;
  }
  if (is("unknown_status")) {
    return 42;
  }
  if (is("evaluator_leaves_exception")) {
    PyErr_SetString(PyExc_KeyError, "fault: stray");
    return PYHOOKS_DECLINED;
  }
  return PYHOOKS_DECLINED;
}

static void fault_code_free(pyhooks_plugin* self, const void* code_key,
                            void* slot, void* data) {
  (void)self;
  (void)code_key;
  (void)slot;
  (void)data;
  if (is("free_raises")) {
    PyErr_SetString(PyExc_RuntimeError, "fault: code_free raised");
  }
}

static const pyhooks_option_desc options[] = {
    {"mode", PYHOOKS_OPTION_STRING, "none", "how to misbehave"},
    {"target", PYHOOKS_OPTION_STRING, "victim", "qualname to misbehave on"},
};

static const pyhooks_plugin_desc fault = {
    sizeof(pyhooks_plugin_desc),
    "fault",
    "1.0.0",
    "pyhooks test plugin: fails on purpose",
    PYHOOKS_ROLE_OBSERVER | PYHOOKS_ROLE_EVALUATOR,
    PYHOOKS_PRIORITY_NORMAL,
    0,
    PYHOOKS_EVENTS_ALL,
    NULL,
    0,
    sizeof(options) / sizeof(options[0]),
    options,
    fault_init,
    NULL,
    fault_event,
    fault_evaluate,
    fault_code_free,
    NULL,
    NULL, /* on_chain_changed (ABI 1.1) */
};

static const pyhooks_plugin_desc* const plugins[] = {&fault};
static const pyhooks_library_desc library = {
    sizeof(pyhooks_library_desc), PYHOOKS_ABI_MAJOR, PYHOOKS_TARGET_ABI_MINOR,
    1, plugins};

PYHOOKS_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}
