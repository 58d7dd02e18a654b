/* pyhooks/plugin.h - the complete plugin ABI of pyhooks, version 1.2.
 *
 * A pyhooks plugin is a shared object that exports one symbol,
 * `pyhooks_plugin_entry`, and otherwise talks to the host only through the
 * function table it receives at init. This header is that contract: plain C,
 * fixed-width types, the C standard library only. An observer built against it
 * runs unchanged on every CPython the host supports (3.11, 3.12, 3.13).
 *
 * The numbered rules behind each item (what a plugin must do, what the host
 * guarantees, what happens otherwise) are in docs/internals/plugin-abi.md.
 *
 * Reference ownership is stated on every function that passes a Python object:
 *   borrowed - valid for the duration of the callback; do not decref;
 *   new      - the caller owns one reference and must release it.
 * Python objects appear as `struct _object *`, which is CPython's PyObject*;
 * plugins that need the Python C API include <Python.h> themselves.
 *
 * +------------------------------------------------------------------------+
 * | ABI STABILITY: within ABI major 1, structs and the host table are      |
 * | APPEND-ONLY. Never reorder, never remove, never change a type. A new   |
 * | field or function bumps PYHOOKS_ABI_MINOR and is appended at the end.  |
 * | tests/unit checks this header against its frozen copies              |
 * | (plugin-api/abi/): its own text, and the layout of every older one.   |
 * +------------------------------------------------------------------------+
 *
 * ABI 1.0 and ABI 1.1 are frozen (plugin-api/abi/plugin-1.0.h, plugin-1.1.h;
 * 1.1 was frozen once the tracer and the JIT plugins had used what it adds,
 * marked "ABI 1.1" below). ABI 1.2 is OPEN: what it adds (marked "ABI 1.2")
 * may still change until the profiler and the tracer have used it; then it
 * is frozen beside them. A plugin that must also load on an older host
 * builds with -DPYHOOKS_TARGET_ABI_MINOR=0 (or 1).
 */
#ifndef PYHOOKS_PLUGIN_H
#define PYHOOKS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define PYHOOKS_ABI_MAJOR 1
#define PYHOOKS_ABI_MINOR 2
/* Defined while the newest minor may still change (see above). */
#define PYHOOKS_ABI_MINOR_OPEN 1

/* The ABI minor a library declares. Define it lower before including this
 * header to build a plugin that also loads on older hosts. */
#ifndef PYHOOKS_TARGET_ABI_MINOR
#define PYHOOKS_TARGET_ABI_MINOR PYHOOKS_ABI_MINOR
#endif
#if PYHOOKS_TARGET_ABI_MINOR > PYHOOKS_ABI_MINOR
#error "PYHOOKS_TARGET_ABI_MINOR is newer than this header's ABI minor"
#endif

#if defined(_WIN32)
#define PYHOOKS_EXPORT __declspec(dllexport)
#elif defined(__GNUC__) || defined(__clang__)
#define PYHOOKS_EXPORT __attribute__((visibility("default")))
#else
#define PYHOOKS_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct _object; /* CPython's PyObject */

/* ---- Status codes ------------------------------------------------------ */

/* Every callback and host function that can fail returns one of these.
 * Nothing crosses the boundary as a C++ exception or a longjmp. */
typedef int32_t pyhooks_status;
#define PYHOOKS_OK 0
/* entry: not on this Python; init: opt out;
 * evaluate: pass the frame to the next link */
#define PYHOOKS_DECLINED 1
/* evaluate: *result holds the frame's result */
#define PYHOOKS_HANDLED 2
/* on_event/evaluate: never call me again for this code object
 * (per plugin, per code) */
#define PYHOOKS_DISABLE 3
/* failure; in evaluate, a Python exception is set */
#define PYHOOKS_ERROR (-1)
#define PYHOOKS_E_NOT_FOUND (-2) /* host function: no such option / item */
#define PYHOOKS_E_TYPE (-3)      /* host function: option has another type */
#define PYHOOKS_E_NOMEM (-4)     /* host function: out of memory */
#define PYHOOKS_E_INVALID (-5)   /* host function: bad argument or state */
/* ABI 1.1, host function: this CPython (or this host) cannot provide it */
#define PYHOOKS_E_UNSUPPORTED (-6)

/* ---- Roles, capabilities, events --------------------------------------- */

#define PYHOOKS_ROLE_OBSERVER (1u << 0)  /* receives frame events */
#define PYHOOKS_ROLE_EVALUATOR (1u << 1) /* may run frames itself */

/* At most one EXCLUSIVE evaluator is active per interpreter. */
#define PYHOOKS_CAP_EXCLUSIVE_EVALUATOR (1u << 0)
/* Built against one exact CPython build: `build_tag` must match the running
 * interpreter's (sysconfig SOABI, e.g. "cpython-312-x86_64-linux-gnu"). */
#define PYHOOKS_CAP_CPYTHON_INTERNALS (1u << 1)
/* May be active in subinterpreters; each interpreter gets its own instance. */
#define PYHOOKS_CAP_SUBINTERPRETER_SAFE (1u << 2)
/* ABI 1.1: an evaluator that runs code only through function entries
 * (function_entry_set), so on 3.12+ the host installs no eval-frame hook for
 * it: code it does not route runs exactly as under plain python (HOST-28).
 * On 3.11 (no function entries) the bit changes nothing. */
#define PYHOOKS_CAP_ENTRY_EVALUATOR (1u << 3)
/* ABI 1.2: hand this plugin its per-code bytes in frame->code_data before
 * each callback (it also declares code_data_size > 0). Opt-in, because the
 * lookup is paid on every event the plugin receives, exits included: a
 * plugin that needs its bytes only on some events, or keeps its own cache,
 * is faster calling api->code_data itself. */
#define PYHOOKS_CAP_FRAME_CODE_DATA (1u << 4)
/* ABI 1.2: an evaluator that gives code objects a trampoline of their own
 * for entering the interpreter, so that native profilers see one named
 * address per Python function (native_names) at no callback per call. The
 * first pointer of its per-code bytes (code_data_size >= sizeof(void*);
 * the bit implies PYHOOKS_CAP_FRAME_CODE_DATA), once the plugin has set it
 * in evaluate, is a pyhooks_trampoline_fn that the host then calls, for that
 * code, wherever it would enter the interpreter itself: every call the
 * evaluators leave to it and every generator resume. Frames an evaluator
 * runs (HANDLED) are not wrapped. Having set it, the plugin may answer
 * DISABLE: the trampoline stays in use while the plugin is active. Only the
 * outermost such evaluator of a chain is used (HOST-30). */
#define PYHOOKS_CAP_INTERPRETER_TRAMPOLINE (1u << 5)
/* Capabilities each minor defines; PYHOOKS_CAPS_ALL follows the target. */
#define PYHOOKS_CAP_COUNT_1_0 3
#define PYHOOKS_CAP_COUNT_1_1 4
#define PYHOOKS_CAP_COUNT_1_2 6

/* Frame events, delivered to observers. Enter-side events go to observers in
 * chain order, exit-side events in reverse (an onion). Every enter event an
 * observer accepts (answers OK) is matched by exactly one exit event. */
typedef int32_t pyhooks_event;
/* START: first execution of an activation's body (for a generator: its
 * first resume). RESUME: a generator/coroutine re-entered, including by
 * throw() and close(). */
#define PYHOOKS_EVENT_START 0
#define PYHOOKS_EVENT_RESUME 1
#define PYHOOKS_EVENT_RETURN 2 /* left with a value (generators: finished) */
#define PYHOOKS_EVENT_YIELD 3  /* generator/coroutine suspended */
#define PYHOOKS_EVENT_UNWIND 4 /* left by an exception */
/* ABI 1.1, 3.12+ only (api->event_supported answers E_UNSUPPORTED on 3.11,
 * where none is delivered). A Python frame calls a C function (a builtin
 * function or method, or a method descriptor such as list.sort):
 * frame->code is the CALLING code object, frame->callable what it calls.
 * C_CALL is an enter event, C_RETURN / C_RAISE its exit (the call returned,
 * or raised); Python frames the C function runs (sorted's key=) nest
 * between them. DISABLE answered to any of them disables the calling code
 * object for the plugin, as for every event. */
#define PYHOOKS_EVENT_C_CALL 5
#define PYHOOKS_EVENT_C_RETURN 6
#define PYHOOKS_EVENT_C_RAISE 7

/* Events each minor defines. The unsuffixed PYHOOKS_EVENT_COUNT and
 * PYHOOKS_CAPS_ALL have the values of
 * PYHOOKS_TARGET_ABI_MINOR: the host checks a descriptor against the bits of
 * the minor its library declares, so a plugin targeting an older host never
 * declares a bit that host does not know. */
#define PYHOOKS_EVENT_COUNT_1_0 5
#define PYHOOKS_EVENT_COUNT_1_1 8
#if PYHOOKS_TARGET_ABI_MINOR >= 2
#define PYHOOKS_EVENT_COUNT PYHOOKS_EVENT_COUNT_1_1
#define PYHOOKS_CAP_COUNT PYHOOKS_CAP_COUNT_1_2
#elif PYHOOKS_TARGET_ABI_MINOR >= 1
#define PYHOOKS_EVENT_COUNT PYHOOKS_EVENT_COUNT_1_1
#define PYHOOKS_CAP_COUNT PYHOOKS_CAP_COUNT_1_1
#else
#define PYHOOKS_EVENT_COUNT PYHOOKS_EVENT_COUNT_1_0
#define PYHOOKS_CAP_COUNT PYHOOKS_CAP_COUNT_1_0
#endif

#define PYHOOKS_EVENT_BIT(event) (1u << (event))
/* Every FRAME event (START .. UNWIND), at every minor. The C-call events are
 * not in it: they cost every call the program makes, and a plugin written
 * for the frame events must not start receiving others when rebuilt; a
 * plugin that wants them adds PYHOOKS_EVENTS_C_CALLS. */
#define PYHOOKS_EVENTS_ALL ((1u << PYHOOKS_EVENT_COUNT_1_0) - 1u)
#if PYHOOKS_TARGET_ABI_MINOR >= 1
#define PYHOOKS_EVENTS_C_CALLS                 \
  (PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_CALL) |   \
   PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RETURN) | \
   PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RAISE))
#endif
#define PYHOOKS_CAPS_ALL ((1u << PYHOOKS_CAP_COUNT) - 1u)

/* Priorities: higher runs first (outer). Named bands leave wide gaps. */
#define PYHOOKS_PRIORITY_MIN 0
#define PYHOOKS_PRIORITY_LOW 250
#define PYHOOKS_PRIORITY_NORMAL 500
#define PYHOOKS_PRIORITY_HIGH 750
#define PYHOOKS_PRIORITY_MAX 1000

/* Log levels for pyhooks_host_api.log. */
#define PYHOOKS_LOG_DEBUG 0
#define PYHOOKS_LOG_INFO 1
#define PYHOOKS_LOG_WARNING 2
#define PYHOOKS_LOG_ERROR 3

/* Option value types a plugin declares; the host checks configured values
 * against them before init, and `pyhooks inspect` lists them. */
#define PYHOOKS_OPTION_STRING 0
#define PYHOOKS_OPTION_INT 1
#define PYHOOKS_OPTION_FLOAT 2
#define PYHOOKS_OPTION_BOOL 3
#define PYHOOKS_OPTION_STRING_LIST 4

/* ---- Handles ------------------------------------------------------------ */

typedef struct pyhooks_host_api pyhooks_host_api;

/* The plugin's context handle: one per active plugin per interpreter, passed
 * to every callback and every host function. The host owns it; the fields
 * below are its public prefix (host-private data follows). */
typedef struct pyhooks_plugin {
  uint32_t struct_size;
  void* user_data;             /* the plugin's own; the host never touches it */
  const pyhooks_host_api* api; /* the same table init received */
  const char* name;            /* the plugin's name */
} pyhooks_plugin;

/* A frame as an observer or evaluator sees it. Valid only during the callback
 * that received it. The public prefix is filled by the host for every event;
 * the rest is reached through host functions. */
typedef struct pyhooks_frame {
  uint32_t struct_size;
  uint32_t flags;       /* PYHOOKS_FRAME_* below */
  struct _object* code; /* borrowed; the code object (never NULL) */
  uint64_t thread_id;   /* threading.get_ident() of the running thread */
  /* ABI 1.1 (read it only when struct_size covers it): on RETURN and YIELD
   * the value returned or yielded, on UNWIND the exception leaving the
   * frame; NULL on enter events, and on an exit the host delivers without
   * knowing it (a frame left while the event source was switched). The
   * same whichever event source delivered it. Borrowed. */
  struct _object* value;
  /* ABI 1.1: on C_CALL, C_RETURN and C_RAISE the C function called (a
   * builtin function or method, or a method descriptor); NULL on every
   * other event. Borrowed. Name it with api->c_function_name. */
  struct _object* callable;
  /* ABI 1.2 (read it only when PYHOOKS_FRAME_HAS(frame, code_data)): the
   * RECEIVING plugin's own zeroed per-code bytes for `code` - exactly what
   * api->code_data(self, frame->code) returns, without the call - for a
   * plugin that declares PYHOOKS_CAP_FRAME_CODE_DATA. NULL for every other
   * plugin, and when it declared code_data_size 0 (or memory ran out). The host
   * sets it before each callback to each plugin (on_event, evaluate), on every
   * event and whichever event source delivered it; on C-call events it is
   * the calling code's. Delivering it counts as touching the code's data:
   * code_free follows, as after code_data. */
  void* code_data;
} pyhooks_frame;

/* Non-zero if the host filled `member` of `frame` (members after the ABI
 * 1.0 prefix: a host of an older minor passes a shorter frame). */
#define PYHOOKS_FRAME_HAS(frame, member) \
  ((frame)->struct_size >=               \
   offsetof(pyhooks_frame, member) + sizeof(((pyhooks_frame*)0)->member))

/* The code is a generator, a coroutine or an async generator. */
#define PYHOOKS_FRAME_GENERATOR (1u << 0)
#define PYHOOKS_FRAME_THROW (1u << 1) /* entered by throw()/close() */

/* ABI 1.1: what a fast-local slot holds (code_local). */
#define PYHOOKS_LOCAL_CELL (1u << 0) /* a cell made for an inner function */
#define PYHOOKS_LOCAL_FREE (1u << 1) /* a cell from an enclosing function */

/* What a code object is, for display and keying. Strings are UTF-8, owned by
 * the code object: valid while the plugin holds the code object or is inside
 * a callback about it; copy them to keep them longer. */
typedef struct pyhooks_code_info {
  uint32_t struct_size;
  const char* name;     /* co_name */
  const char* qualname; /* co_qualname */
  const char* filename; /* co_filename */
  int32_t first_line;   /* co_firstlineno */
  uint32_t flags;       /* PYHOOKS_FRAME_GENERATOR if applicable */
  /* ABI 1.1; the host fills only what struct_size covers. */
  int32_t arg_count;   /* positional + keyword-only parameters */
  int32_t local_count; /* fast-local slots: parameters, then other locals,
                          cells and free variables (frame_local, code_local) */
} pyhooks_code_info;

/* ABI 1.1: a thread, as thread_info describes it. */
typedef struct pyhooks_thread_info {
  uint32_t struct_size;
  uint64_t native_id; /* threading.get_native_id() of it; 0 if unknown */
  const char* name;   /* threading's name for it; "" while threading does not
                         know the thread. Owned by the host, valid until the
                         interpreter ends. */
} pyhooks_thread_info;

/* ABI 1.1: watchers (watch/unwatch; CPython 3.12+, E_UNSUPPORTED on 3.11).
 * What a plugin subscribes: */
#define PYHOOKS_WATCH_DICT 0     /* a dict (globals, builtins, a __dict__) */
#define PYHOOKS_WATCH_FUNCTION 1 /* a Python function object */
#define PYHOOKS_WATCH_CODE 2     /* a code object (only its destruction) */
#define PYHOOKS_WATCH_TYPE 3     /* a type (kept alive while watched) */
#define PYHOOKS_WATCH_KIND_COUNT 4

/* What happened to it (pyhooks_watch_event.change):
 *   DICT_ADDED         key: the new key; value: its value
 *   DICT_MODIFIED      key: the key; value: its new value
 *   DICT_DELETED       key: the key removed
 *   DICT_CLEARED       every key removed
 *   DICT_CLONED        contents replaced; value: the source
 *   FUNCTION_CODE      __code__ set; value: the new code
 *   FUNCTION_DEFAULTS  __defaults__ set; value: the new defaults
 *   FUNCTION_KWDEFAULTS __kwdefaults__ set; value: the new dict
 *   TYPE_MODIFIED      an attribute of it or of a base changed
 *   DESTROYED          the object is being freed: the last event; the
 *                      subscription is gone */
#define PYHOOKS_CHANGE_DICT_ADDED 0
#define PYHOOKS_CHANGE_DICT_MODIFIED 1
#define PYHOOKS_CHANGE_DICT_DELETED 2
#define PYHOOKS_CHANGE_DICT_CLEARED 3
#define PYHOOKS_CHANGE_DICT_CLONED 4
#define PYHOOKS_CHANGE_FUNCTION_CODE 5
#define PYHOOKS_CHANGE_FUNCTION_DEFAULTS 6
#define PYHOOKS_CHANGE_FUNCTION_KWDEFAULTS 7
#define PYHOOKS_CHANGE_TYPE_MODIFIED 8
#define PYHOOKS_CHANGE_DESTROYED 9

/* One change of a watched object, delivered to the plugin's callback. Dict
 * and function changes arrive BEFORE they take effect (the old value can
 * still be read), a type's after. Everything is borrowed and valid during
 * the callback only. */
typedef struct pyhooks_watch_event {
  uint32_t struct_size;
  int32_t kind;           /* PYHOOKS_WATCH_* */
  int32_t change;         /* PYHOOKS_CHANGE_* */
  struct _object* object; /* the watched object */
  struct _object* key;    /* dict ADDED/MODIFIED/DELETED: the key, else NULL */
  struct _object* value;  /* as PYHOOKS_CHANGE_* says, else NULL */
  void* cookie;           /* what the plugin passed to watch */
} pyhooks_watch_event;

/* A watcher callback. It runs inside whatever changed the object (a store
 * into a dict, a deallocation, ...), with the GIL held: keep it short (mark
 * a guard invalid), run no Python code, and leave no exception set (the
 * host reports and clears it). It may call watch/unwatch and
 * function_entry_clear. */
typedef void (*pyhooks_watch_fn)(pyhooks_plugin* self,
                                 const pyhooks_watch_event* event);

/* ABI 1.1: a host-mediated function entry (function_entry_set; 3.12+).
 * Called instead of CPython's own entry for calls of the function, with the
 * call exactly as vectorcall passes it (PEP 590: `nargsf` may carry
 * PY_VECTORCALL_ARGUMENTS_OFFSET; `kwnames` a tuple of keyword names or
 * NULL). Return HANDLED with *result a new reference, DECLINED (the host
 * makes the call as CPython would: keywords, defaults, *args and all), or
 * ERROR with a Python exception set (the call raises it). */
typedef pyhooks_status (*pyhooks_entry_call_fn)(
    pyhooks_plugin* self, void* cookie, struct _object* function,
    struct _object* const* args, size_t nargsf, struct _object* kwnames,
    struct _object** result);

/* Why a function entry ended (pyhooks_function_entry.undone):
 *   CLEARED    function_entry_clear, or set again
 *   CHAIN      the chain changed: an observer watches the code, an outer
 *              evaluator no longer disables it, or the plugin was disabled
 *   MODIFIED   __code__, __defaults__ or __kwdefaults__ was set
 *   DESTROYED  the function is being freed
 *   SHUTDOWN   the plugin shuts down or is unloaded
 *   FAILED     `call` broke its contract (reported) */
#define PYHOOKS_ENTRY_CLEARED 0
#define PYHOOKS_ENTRY_CHAIN 1
#define PYHOOKS_ENTRY_MODIFIED 2
#define PYHOOKS_ENTRY_DESTROYED 3
#define PYHOOKS_ENTRY_SHUTDOWN 4
#define PYHOOKS_ENTRY_FAILED 5

typedef struct pyhooks_function_entry {
  uint32_t struct_size; /* sizeof(pyhooks_function_entry) */
  pyhooks_entry_call_fn call;
  /* Optional: the entry ended (PYHOOKS_ENTRY_*); release `cookie` here.
   * Called exactly once per entry set, with the GIL held; `function` is
   * borrowed (being freed, with DESTROYED). */
  void (*undone)(pyhooks_plugin* self, void* cookie, struct _object* function,
                 int32_t reason);
  void* cookie; /* the plugin's, passed back to call and undone */
} pyhooks_function_entry;

/* ---- Descriptors --------------------------------------------------------- */

/* FROZEN: options are an array, and its elements carry no size, so this
 * struct can never grow within ABI major 1 (plugin ABI policy HOST-13).
 * Richer option metadata (choices, ranges) will come as a new, size-prefixed
 * field appended to pyhooks_plugin_desc, never as members here. */
/* ABI 1.2, PYHOOKS_CAP_INTERPRETER_TRAMPOLINE: how the host enters the
 * interpreter for a frame (CPython's PyThreadState* and
 * _PyInterpreterFrame*, opaque here), and the trampoline that must do
 * exactly that: return interpreter(tstate, frame, throwflag), unchanged, with
 * the thread's exception state as it got it. It runs under the GIL, on the
 * frame's own C stack, and must not call back into Python or the host. */
typedef struct _object* (*pyhooks_interpreter_fn)(void* tstate, void* frame,
                                                  int throwflag);
typedef struct _object* (*pyhooks_trampoline_fn)(
    void* tstate, void* frame, int throwflag,
    pyhooks_interpreter_fn interpreter);

typedef struct pyhooks_option_desc {
  const char* name;          /* [a-z0-9_]+ */
  int32_t type;              /* PYHOOKS_OPTION_* */
  const char* default_value; /* for display only; NULL when there is none */
  const char* help;          /* one line */
} pyhooks_option_desc;

/* One plugin. All pointers must point into the library's static data. */
typedef struct pyhooks_plugin_desc {
  uint32_t struct_size; /* sizeof(pyhooks_plugin_desc) */
  const char* name;     /* unique, [a-z0-9_.-]+, at most 64 bytes */
  const char* version;
  const char* description;
  uint32_t roles;           /* PYHOOKS_ROLE_* (at least one) */
  int32_t default_priority; /* PYHOOKS_PRIORITY_MIN .. _MAX */
  uint32_t capabilities;    /* PYHOOKS_CAP_* */
  uint32_t events;          /* observers: PYHOOKS_EVENT_BIT() set wanted */
  const char* build_tag;    /* with PYHOOKS_CAP_CPYTHON_INTERNALS, else NULL */
  uint32_t code_data_size;  /* zeroed per-code bytes wanted (<= 65536) */
  uint32_t option_count;
  const pyhooks_option_desc* options;

  /* Called once, in chain order, before any event. Read options here.
   * Return OK, DECLINED (stay inactive, not an error) or ERROR (after
   * api->log explaining why). */
  pyhooks_status (*init)(pyhooks_plugin* self);
  /* Called once, in reverse chain order, after the last event. Optional. */
  void (*shutdown)(pyhooks_plugin* self);
  /* Observers: one frame event. Return OK, DISABLE or ERROR. Must not leave
   * a Python exception set (the host clears and reports it). DISABLE on an
   * enter event (START, RESUME) also drops that activation's exit event:
   * the plugin is owed an exit only for enters it accepted with OK. */
  pyhooks_status (*on_event)(pyhooks_plugin* self, pyhooks_event event,
                             const pyhooks_frame* frame);
  /* Evaluators: offered each fresh activation of non-generator code. Return
   * HANDLED with *result a new reference, DECLINED, DISABLE, or ERROR with a
   * Python exception set. May call api->eval_next to run the rest of the
   * chain, then return HANDLED with what it returned. */
  pyhooks_status (*evaluate)(pyhooks_plugin* self, pyhooks_frame* frame,
                             struct _object** result);
  /* A code object this plugin stored data for is going away: release
   * `slot` (the pointer it stored) and anything in `data` (its inline
   * bytes). Called exactly once per code object the plugin touched: when
   * the code object dies, or, for those still alive at the plugin's
   * shutdown, right after its shutdown callback (which can still read
   * them). `code_key` is the code object's address, for lookups only.
   * Optional. */
  void (*code_free)(pyhooks_plugin* self, const void* code_key, void* slot,
                    void* data);
  /* In the child after os.fork(), with the GIL held. Optional. */
  void (*after_fork_child)(pyhooks_plugin* self);

  /* ABI 1.1 (read only when struct_size covers it). The active chain
   * changed: a plugin arrived (this one included: its first call comes
   * once the chain it joined is live), left, failed, or was disabled or
   * enabled. Called after the change, in chain order, for every plugin
   * active in the new chain, with that chain's generation (it only grows).
   * An evaluator revisits what it derived from the old chain, e.g. which
   * code api->code_is_observed. Must not load or unload plugins; may run
   * inside another plugin's event (when that one fails). Optional. */
  void (*on_chain_changed)(pyhooks_plugin* self, uint32_t generation);
} pyhooks_plugin_desc;

/* A library: one or more plugins. */
typedef struct pyhooks_library_desc {
  uint32_t struct_size; /* sizeof(pyhooks_library_desc) */
  uint16_t abi_major;   /* PYHOOKS_ABI_MAJOR it was built with */
  uint16_t abi_minor;   /* PYHOOKS_TARGET_ABI_MINOR it needs */
  uint32_t plugin_count;
  const pyhooks_plugin_desc* const* plugins;
} pyhooks_library_desc;

/* ---- Entry and negotiation ---------------------------------------------- */

/* Filled by the host; the plugin writes `library` (and, when declining,
 * `decline_reason`). python_version_hex is 0 and python_build_tag NULL when
 * the library is only being inspected (`pyhooks list`, `pyhooks inspect`). */
typedef struct pyhooks_negotiation {
  uint32_t struct_size;
  uint16_t host_abi_major;
  uint16_t host_abi_minor; /* newest minor the host provides */
  const char* host_version;
  uint32_t python_version_hex;  /* PY_VERSION_HEX of the interpreter, or 0 */
  const char* python_build_tag; /* sysconfig SOABI, or NULL */
  /* out: */
  const pyhooks_library_desc* library;
  const char* decline_reason; /* static string, with PYHOOKS_DECLINED */
} pyhooks_negotiation;

/* The one exported symbol. It must only fill `n` with static descriptors:
 * no Python calls, no allocation, no global state. Return OK or DECLINED. */
#define PYHOOKS_ENTRY_SYMBOL "pyhooks_plugin_entry"
typedef pyhooks_status (*pyhooks_entry_fn)(pyhooks_negotiation* n);

/* ---- Host function table --------------------------------------------------
 * Size-prefixed and append-only. Test for members newer than 1.0 with
 * PYHOOKS_API_HAS(api, member). */
struct pyhooks_host_api {
  uint32_t struct_size;
  uint16_t abi_major;
  uint16_t abi_minor;
  const char* host_version;
  uint32_t python_version_hex;

  /* Logging: one line, prefixed by the host with the plugin's name. */
  void (*log)(pyhooks_plugin* self, int32_t level, const char* message);

  /* Options, as configured and checked against the plugin's option_desc.
   * Strings are owned by the host and live as long as the plugin.
   * Return OK, E_NOT_FOUND (not configured: use your default) or E_TYPE. */
  pyhooks_status (*option_string)(pyhooks_plugin* self, const char* name,
                                  const char** out);
  pyhooks_status (*option_int)(pyhooks_plugin* self, const char* name,
                               int64_t* out);
  pyhooks_status (*option_float)(pyhooks_plugin* self, const char* name,
                                 double* out);
  pyhooks_status (*option_bool)(pyhooks_plugin* self, const char* name,
                                int32_t* out);
  /* STRING_LIST options: *count items, read each with option_list_item. */
  pyhooks_status (*option_list_count)(pyhooks_plugin* self, const char* name,
                                      uint32_t* count);
  pyhooks_status (*option_list_item)(pyhooks_plugin* self, const char* name,
                                     uint32_t index, const char** out);

  /* Code objects (`code` borrowed). */
  pyhooks_status (*code_info)(pyhooks_plugin* self, struct _object* code,
                              pyhooks_code_info* out);
  /* This plugin's pointer slot for `code`, initially NULL; NULL if memory
   * ran out. The plugin owns what it stores; see code_free. */
  void** (*code_slot)(pyhooks_plugin* self, struct _object* code);
  /* This plugin's zeroed inline bytes (code_data_size) for `code`, or NULL
   * when it declared none or memory ran out. Stable for the code's life. */
  void* (*code_data)(pyhooks_plugin* self, struct _object* code);
  /* Same as returning DISABLE for `code`, from anywhere. */
  void (*code_disable)(pyhooks_plugin* self, struct _object* code);
  /* Non-zero if any active observer still receives events for `code`. An
   * evaluator must not hide calls it makes itself into such code. */
  int32_t (*code_is_observed)(pyhooks_plugin* self, struct _object* code);

  /* Frames. line/function/args are available on enter events and in
   * evaluate; on exit events they return -1 / NULL. */
  int32_t (*frame_line)(const pyhooks_frame* frame);
  struct _object* (*frame_function)(const pyhooks_frame* frame); /* borrowed */
  /* Positional and keyword-only parameters (not the * or ** ones). */
  int32_t (*frame_arg_count)(const pyhooks_frame* frame);
  struct _object* (*frame_arg)(const pyhooks_frame* frame,
                               int32_t index);                  /* borrowed */
  struct _object* (*frame_globals)(const pyhooks_frame* frame); /* borrowed */

  /* Evaluators: run the rest of the chain on `frame`. New reference, or NULL
   * with a Python exception set. At most once per evaluate call. */
  struct _object* (*eval_next)(pyhooks_plugin* self, pyhooks_frame* frame);

  /* A monotonic clock in nanoseconds, and the calling thread's CPU time. */
  uint64_t (*clock_ns)(void);
  uint64_t (*thread_cpu_ns)(void);

  /* ABI 1.1 ---------------------------------------------------------------
   * Check with PYHOOKS_API_HAS(api, member) in a plugin that also loads in
   * 1.0 hosts. */

  /* The frame's builtins (borrowed); NULL on exit events. */
  struct _object* (*frame_builtins)(const pyhooks_frame* frame);
  /* Fast-local slot `index` (0 .. code_info.local_count - 1) of the frame:
   * *out is borrowed, NULL while the slot is unbound; for a cell slot it is
   * the cell's content. Enter events and evaluate only. OK, or E_INVALID
   * (bad index, exit event). */
  pyhooks_status (*frame_local)(const pyhooks_frame* frame, int32_t index,
                                struct _object** out);
  /* Name (UTF-8, owned by the code object; see pyhooks_code_info) and
   * PYHOOKS_LOCAL_* kind of fast-local slot `index` of `code` (borrowed).
   * Either out pointer may be NULL. OK, or E_INVALID. */
  pyhooks_status (*code_local)(pyhooks_plugin* self, struct _object* code,
                               int32_t index, const char** name,
                               uint32_t* kind);
  /* Native id and name of this interpreter's thread whose
   * threading.get_ident() is `thread_id` (e.g. frame->thread_id). Resolved
   * once per thread and cached by the host: no Python code runs, and a
   * repeated call is a hash lookup. OK, E_NOT_FOUND (no such thread here),
   * or E_INVALID. */
  pyhooks_status (*thread_info)(pyhooks_plugin* self, uint64_t thread_id,
                                pyhooks_thread_info* out);
  /* Native profilers: names the machine code at [address, address + size)
   * with one `address size name` line in this process's perf map,
   * /tmp/perf-PID.map (perf, samply and others read it). One writer per
   * process, shared by every plugin (and by CPython's own on 3.12+); a
   * forked child gets its own map holding what it inherited. `name` is
   * UTF-8 without newlines, e.g. "py::fib:/app/fib.py". Returns OK,
   * E_INVALID (NULL address or name, zero size, a newline in name) or
   * ERROR (the map cannot be written; the host said why once). */
  pyhooks_status (*perf_map_write)(pyhooks_plugin* self, const void* address,
                                   uint32_t size, const char* name);
  /* OK if this host delivers `event` on the running CPython,
   * E_UNSUPPORTED if it cannot (the C-call events on 3.11), E_INVALID for
   * an unknown event. */
  pyhooks_status (*event_supported)(pyhooks_plugin* self, pyhooks_event event);
  /* On C_CALL, C_RETURN and C_RAISE: the called C function's name as
   * cProfile keys it (pstats prints it with {} for <>), e.g.
   * "<built-in method time.sleep>", "<built-in method builtins.len>",
   * "<method 'sort' of 'list' objects>" (UTF-8, owned by the host, valid
   * until the interpreter ends), and `key`, the same for every call of that
   * C function for as long as it exists (its PyMethodDef). Either out
   * pointer may be NULL. Made once per C function, then a hash lookup; no
   * Python code runs. OK, E_INVALID (not a C-call event), or E_UNSUPPORTED
   * (3.11). */
  pyhooks_status (*c_function_name)(pyhooks_plugin* self,
                                    const pyhooks_frame* frame,
                                    const char** name, const void** key);
  /* The name of `value`'s type (value borrowed), e.g. from frame->value on
   * UNWIND: "ValueError", "json.decoder.JSONDecodeError" (the module is
   * left out for builtins). Runs no Python code (a metaclass's
   * __getattribute__ is never called). Written to out as UTF-8 with a NUL,
   * cut to at most size - 1 bytes at a character boundary. OK, or E_INVALID
   * (NULL value or out, size 0). Any callback (the GIL is held). */
  pyhooks_status (*value_type_name)(pyhooks_plugin* self, struct _object* value,
                                    char* out, uint32_t size);
  /* Watchers (3.12+): calls `callback` for every change of `object` (of
   * kind PYHOOKS_WATCH_*) until unwatch, the object's DESTROYED event, or
   * the plugin's shutdown. One subscription per plugin and object: watching
   * again replaces callback and cookie. The host multiplexes one CPython
   * watcher per kind per interpreter over every plugin. OK, E_INVALID (bad
   * kind, object not of that kind, NULL callback), E_UNSUPPORTED (3.11:
   * CPython has no watchers; guard by lookups instead) or ERROR (CPython has
   * no watcher left; the host said so once). */
  pyhooks_status (*watch)(pyhooks_plugin* self, int32_t kind,
                          struct _object* object, pyhooks_watch_fn callback,
                          void* cookie);
  /* Ends the subscription. OK, E_NOT_FOUND (not watched by this plugin),
   * E_INVALID or E_UNSUPPORTED. */
  pyhooks_status (*unwatch)(pyhooks_plugin* self, int32_t kind,
                            struct _object* object);
  /* Evaluators (3.12+): route calls of the Python function `function` to
   * entry->call (copied; PyFunction_SetVectorcall done by the host, which
   * alone may set it). Only while the route is sound: no active observer
   * watches the function's code, every evaluator before this one in the
   * chain has disabled it, and this plugin is active; the host undoes it
   * (entry->undone says why) when the chain changes so that this no longer
   * holds, when __code__/__defaults__/__kwdefaults__ is set, when the
   * function dies, and at the plugin's shutdown. While sys.settrace or
   * sys.setprofile is active in the calling thread, calls go to CPython's
   * entry. OK; E_INVALID (not a function, generator code, not an active
   * evaluator, an observer or outer evaluator still sees the code, another
   * plugin routes it, or its vectorcall is not CPython's); E_UNSUPPORTED
   * (3.11: CPython inlines Python-to-Python calls without reading
   * vectorcall). */
  pyhooks_status (*function_entry_set)(pyhooks_plugin* self,
                                       struct _object* function,
                                       const pyhooks_function_entry* entry);
  /* Restores CPython's entry (undone is called with CLEARED). OK,
   * E_NOT_FOUND (this plugin does not route it), E_INVALID, E_UNSUPPORTED. */
  pyhooks_status (*function_entry_clear)(pyhooks_plugin* self,
                                         struct _object* function);
  /* Only inside init: from now on the plugin receives just `events` of the
   * events its descriptor declared (a mask of PYHOOKS_EVENT_BIT), e.g. an
   * observer whose options turned its C-call events off drops them, so the
   * host does not subscribe sys.monitoring's CALL for it. OK, or E_INVALID
   * (outside init). */
  pyhooks_status (*narrow_events)(pyhooks_plugin* self, uint32_t events);
};

#define PYHOOKS_API_HAS(api, member)                          \
  ((api)->struct_size >= offsetof(pyhooks_host_api, member) + \
                             sizeof(((pyhooks_host_api*)0)->member))

/* Convenience for the common case: accept the host's negotiation with one
 * static library descriptor. */
static inline pyhooks_status pyhooks_accept(
    pyhooks_negotiation* n, const pyhooks_library_desc* library) {
  n->library = library;
  return PYHOOKS_OK;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PYHOOKS_PLUGIN_H */
