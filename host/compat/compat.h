/* host/compat/compat.h - the one interface between the host and CPython's
 * internals.
 *
 * Everything that depends on a CPython minor's private structures (frame
 * layout, frame ownership, finishing a frame the host did not run, recursion
 * accounting, co_extra storage) is behind these functions. Each supported
 * minor implements them in its own C file (py311.c, py312.c, py313.c), chosen
 * once by the build, beside common.c for the few that are the same on every
 * minor; shared host code never tests PY_VERSION_HEX. The files
 * are C because CPython's internal headers are not valid C++ on every minor.
 *
 * Frames are passed as `struct _PyInterpreterFrame *`, which is opaque here.
 */
#ifndef PYHOOKS_HOST_COMPAT_H
#define PYHOOKS_HOST_COMPAT_H

#include <Python.h>

#if PY_VERSION_HEX < 0x030B0000 || PY_VERSION_HEX >= 0x030E0000
#error \
    "pyhooks supports CPython 3.11, 3.12 and 3.13; add host/compat/py3XX.c for this version"
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct _PyInterpreterFrame;
typedef struct _PyInterpreterFrame phc_frame;

/* The eval-frame function type of this minor (same shape on 3.11-3.13). */
typedef PyObject* (*phc_eval_fn)(PyThreadState*, phc_frame*, int);

/* How a frame reaches the evaluator. */
typedef enum phc_entry {
  PHC_ENTRY_CALL = 0,       /* fresh activation of non-generator code */
  PHC_ENTRY_GEN_CREATE = 1, /* call of generator code: only builds the object */
  PHC_ENTRY_GEN_START = 2,  /* first execution of a generator's body */
  PHC_ENTRY_GEN_RESUME = 3  /* later re-entry (including throw) */
} phc_entry;

/* ---- the slot ---------------------------------------------------------- */
phc_eval_fn phc_get_eval_frame(PyInterpreterState* interp);
void phc_set_eval_frame(PyInterpreterState* interp, phc_eval_fn fn);
phc_eval_fn phc_default_eval_frame(void);

/* ---- thread state ------------------------------------------------------ */
PyInterpreterState* phc_tstate_interp(PyThreadState* tstate);
/* Non-zero while a tool callback runs (settrace, sys.monitoring, pyhooks
 * observers); frames started then are not reported. */
int phc_tstate_tracing(PyThreadState* tstate);
void phc_tstate_enter_tracing(PyThreadState* tstate);
void phc_tstate_leave_tracing(PyThreadState* tstate);
uint64_t phc_tstate_thread_id(PyThreadState* tstate);
/* The frame currently executing on `tstate` (inside a sys.monitoring
 * callback: the frame the event is about). */
phc_frame* phc_tstate_current_frame(PyThreadState* tstate);

/* The current thread state (never NULL while the GIL is held). */
PyThreadState* phc_current_tstate(void);

/* ---- exceptions -------------------------------------------------------- */
/* Takes the exception being raised (if any) out of the thread, and puts it
 * back; plugin callbacks never run with an exception set. */
typedef struct phc_saved_error {
  PyObject* type;
  PyObject* value;
  PyObject* traceback;
} phc_saved_error;
void phc_error_save(phc_saved_error* saved);
void phc_error_restore(phc_saved_error* saved);
/* PyErr_Occurred() for a known thread state, without the call. */
int phc_error_pending(PyThreadState* tstate);
/* The exception being raised on `tstate` (normalized: an exception
 * instance), borrowed; NULL if none. */
PyObject* phc_error_value(PyThreadState* tstate);

/* ---- frames ------------------------------------------------------------ */
PyObject* phc_frame_code(phc_frame* frame);     /* borrowed */
PyObject* phc_frame_function(phc_frame* frame); /* borrowed, may be NULL */
PyObject* phc_frame_globals(phc_frame* frame);  /* borrowed */
phc_entry phc_frame_entry(phc_frame* frame, int throwflag);
/* The current line, or -1. */
int phc_frame_line(phc_frame* frame);
/* Local variable `index` (parameters come first), borrowed, may be NULL.
 * For a frame whose body has started, cell variables are unwrapped. */
PyObject* phc_frame_local(phc_frame* frame, int index, int started);
/* After the evaluator returned a value for a generator frame: non-zero if
 * the generator is suspended (it yielded) rather than finished. */
int phc_generator_frame_suspended(phc_frame* frame);

/* Release a fresh CALL frame that no evaluator ran (an evaluator HANDLED or
 * failed it): whatever this minor requires so that nothing leaks and the
 * thread's frame stack stays consistent. */
void phc_finish_unevaluated_frame(PyThreadState* tstate, phc_frame* frame);

/* ---- recursion accounting ---------------------------------------------- */
/* Wraps every call from the hook into the next evaluator, for `frame`.
 *
 * CPython 3.12 and 3.13 charge each C-level entry into their evaluator
 * against a C recursion budget; frames their bytecode pushes inline (a
 * Python function called from Python, a generator resumed by `yield from`)
 * never touch it. With the hook every frame is a C entry, so `enter` gives
 * the units back exactly for the frames plain CPython would have pushed
 * inline, judged from the caller's current instruction and its operands,
 * and leaves the charge on frames a C function starts (map, sorted's key,
 * __getattr__, exec): the same depth and the same RecursionError as plain
 * python (docs/internals/compat.md, "Recursion accounting"). When the host's
 * C stack guard trips (`stack_exhausted`), `enter` instead makes the
 * evaluator's own recursion check fail, so that RecursionError is raised
 * through CPython's normal path, correct for every kind of frame. */
typedef struct phc_recursion {
  int saved;
  int forced;
} phc_recursion;
/* What `enter` learnt about call sites, so that the next call from the same
 * caller instruction checks one stack slot instead of decoding the
 * instruction and scanning the caller's stack (host/compat/call_memo.h).
 * Owned by one interpreter (read and written under its GIL); a hint only:
 * every prediction is re-checked with the full test's own predicate, so a
 * stale entry (its code object dead, the address reused) costs the full
 * test, never a different answer. Zero-initialized means empty. Unused on
 * 3.11. */
typedef struct phc_call_memo_entry {
  const void* instr; /* the caller's instruction; NULL: empty */
  uint16_t unit;     /* the code unit (opcode, oparg) seen there */
  uint8_t trailing;  /* slots above the arguments (3.13 CALL_KW: 1) */
  uint8_t unused;
  int32_t slot; /* where the callee's function was on the stack */
} phc_call_memo_entry;
#define PHC_CALL_MEMO_ENTRIES 256
typedef struct phc_call_memo {
  phc_call_memo_entry entries[PHC_CALL_MEMO_ENTRIES];
} phc_call_memo;
void phc_recursion_enter(PyThreadState* tstate, phc_frame* frame, int throwflag,
                         int stack_exhausted, phc_call_memo* memo,
                         phc_recursion* state);
void phc_recursion_leave(PyThreadState* tstate, const phc_recursion* state);

/* ---- code objects ------------------------------------------------------ */
/* Non-zero for code objects that are never freed and may be shared between
 * interpreters (deep-frozen stdlib on 3.11/3.12). */
int phc_code_is_static(PyObject* code);
Py_ssize_t phc_code_request_extra_index(freefunc free_fn);
/* Fast read of a co_extra slot (the layout is private to codeobject.c but
 * unchanged since 3.7); NULL when unset. */
void* phc_code_get_extra(PyObject* code, Py_ssize_t index);
int phc_code_set_extra(PyObject* code, Py_ssize_t index, void* value);
/* Parameters of a code object: positional + keyword-only. */
int phc_code_arg_count(PyObject* code);
int phc_code_is_generator(PyObject* code);

/* ---- plugin accessors (ABI 1.1) ----------------------------------------- */
/* Fast-local slots of a code object: parameters, other locals, cells and
 * free variables (co_nlocalsplus), each with its name (borrowed str) and
 * whether it holds a cell made for an inner function (PHC_LOCAL_CELL) or one
 * taken from an enclosing function (PHC_LOCAL_FREE). */
#define PHC_LOCAL_CELL 1
#define PHC_LOCAL_FREE 2
int phc_code_local_count(PyObject* code);
PyObject* phc_code_local_name(PyObject* code, int index);
int phc_code_local_kind(PyObject* code, int index);
PyObject* phc_frame_builtins(phc_frame* frame); /* borrowed */
/* A thread state's id, unique in its interpreter and never reused, and the
 * OS thread id of its thread (0 where the platform has none). */
uint64_t phc_tstate_unique_id(PyThreadState* tstate);
uint64_t phc_tstate_native_id(PyThreadState* tstate);

/* ---- module definition --------------------------------------------------- */
/* Fills the module slot that declares per-interpreter-GIL support (3.12+),
 * or a terminating {0, NULL} where that slot does not exist. */
void phc_module_interpreter_slot(PyModuleDef_Slot* slot);

/* ---- perf map (host/runtime/perf_map.cc) ------------------------------- */
/* Non-zero if CPython has its own perf-map writer (3.12+:
 * PyUnstable_WritePerfMapEntry), which the host then uses so that the
 * process has one writer; else the host writes the file itself. */
int phc_has_perf_map_writer(void);
/* Through CPython's writer: one line in /tmp/perf-PID.map. 0 or -1. */
int phc_perf_map_write(const void* address, unsigned int size,
                       const char* name);
/* Closes CPython's writer (after fork, in the child: the next write opens
 * the child's own map). */
void phc_perf_map_close(void);

/* ---- watchers and function entries (ABI 1.1; host/runtime/watchers.cc,
 * function_entries.cc) ------------------------------------------------ */
/* Kinds and changes have the values of PYHOOKS_WATCH_* / PYHOOKS_CHANGE_*. */
#define PHC_WATCH_DICT 0
#define PHC_WATCH_FUNCTION 1
#define PHC_WATCH_CODE 2
#define PHC_WATCH_TYPE 3
#define PHC_CHANGE_DICT_ADDED 0
#define PHC_CHANGE_DICT_MODIFIED 1
#define PHC_CHANGE_DICT_DELETED 2
#define PHC_CHANGE_DICT_CLEARED 3
#define PHC_CHANGE_DICT_CLONED 4
#define PHC_CHANGE_FUNCTION_CODE 5
#define PHC_CHANGE_FUNCTION_DEFAULTS 6
#define PHC_CHANGE_FUNCTION_KWDEFAULTS 7
#define PHC_CHANGE_TYPE_MODIFIED 8
#define PHC_CHANGE_DESTROYED 9
/* Non-zero if CPython has dict/function/code/type watchers (3.12+). */
int phc_has_watchers(void);
/* Registers this interpreter's watcher of `kind` (its CPython callback calls
 * phc_watch_notify). The watcher id, or -1 with a Python exception set. */
int phc_watcher_add(int kind);
void phc_watcher_clear(int kind, int id);
/* Marks a dict or type as watched by watcher `id` (functions and code
 * objects are all seen by their kind's watcher). 0, or -1 with an
 * exception set. */
int phc_watch_object(int kind, int id, PyObject* object);
void phc_unwatch_object(int kind, int id, PyObject* object);
/* Defined by the host runtime: one change CPython reported (creations of
 * functions and code objects are not passed on). */
void phc_watch_notify(int kind, int change, PyObject* object, PyObject* key,
                      PyObject* value);

/* Non-zero if calls of a Python function go through its vectorcall pointer
 * even from Python code (3.12+: PyFunction_SetVectorcall). */
int phc_has_function_entry(void);
typedef PyObject* (*phc_vectorcall_fn)(PyObject* callable,
                                       PyObject* const* args, size_t nargsf,
                                       PyObject* kwnames);
/* The function's vectorcall pointer, and CPython's own. */
phc_vectorcall_fn phc_function_entry(PyObject* function);
phc_vectorcall_fn phc_default_function_entry(void);
/* PyFunction_SetVectorcall (3.12+). */
void phc_function_set_entry(PyObject* function, phc_vectorcall_fn entry);
/* Non-zero while sys.settrace or sys.setprofile is set in the thread. */
int phc_tstate_traced(PyThreadState* tstate);

/* ---- build facts ------------------------------------------------------- */
/* The minor this file was written for, e.g. 12. */
int phc_minor(void);
/* Non-zero if sys.monitoring exists (3.12+). */
int phc_has_monitoring(void);

#ifdef __cplusplus
}
#endif

#endif /* PYHOOKS_HOST_COMPAT_H */
