/* tests/plugins/test_plugin.c - every test plugin, from one source.
 *
 * Built once per variant with -DPYHOOKS_TEST_<VARIANT> (tests/plugins/
 * CMakeLists.txt lists them), as the Vulkan loader builds its test layers.
 * Variants that touch Python objects use the limited API, so one binary
 * serves every CPython. Tests read what a plugin saw through the extra
 * exported `pyhooks_test_*` functions (via dlsym or ctypes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PYHOOKS_TEST_USES_PYTHON
#define Py_LIMITED_API 0x030B0000
#include <Python.h>
#endif

#ifdef PYHOOKS_TEST_FROZEN_HEADER
#include PYHOOKS_TEST_FROZEN_HEADER
#else
#include <pyhooks/plugin.h>
#endif

#define TEST_EXPORT PYHOOKS_EXPORT
#define TEST_MAYBE_UNUSED __attribute__((unused))

#include "test_log.h"

TEST_MAYBE_UNUSED static const char* const event_names[] = {
    "start",  "resume", "return",   "yield",
    "unwind", "c_call", "c_return", "c_raise"};

/* ---- recorder: a good observer that logs what it sees ------------------- */
#if defined(PYHOOKS_TEST_RECORDER) || defined(PYHOOKS_TEST_SLOT_USER) || \
    defined(PYHOOKS_TEST_RAISING_OBSERVER)
#define TEST_OBSERVER 1

typedef struct recorder_state {
  const char* filename; /* record only code from this file, if set */
  const char* tag;      /* prefixed to each line */
  int32_t with_thread;
  int32_t with_line;
  int32_t with_args;
  int32_t with_values;
} recorder_state;

static pyhooks_plugin* recorder_self;

static int option_lists(pyhooks_plugin* self, const char* option,
                        const char* qualname) {
  uint32_t count = 0;
  if (self->api->option_list_count(self, option, &count) != PYHOOKS_OK) {
    return 0;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const char* item = NULL;
    if (self->api->option_list_item(self, option, i, &item) == PYHOOKS_OK &&
        strcmp(item, qualname) == 0) {
      return 1;
    }
  }
  return 0;
}

static int disabled_by_option(pyhooks_plugin* self, const char* qualname) {
  return option_lists(self, "disable", qualname);
}

static pyhooks_status observer_init(pyhooks_plugin* self) {
  const pyhooks_host_api* api = self->api;
  recorder_state* state = calloc(1, sizeof(recorder_state));
  if (state == NULL) {
    return PYHOOKS_ERROR;
  }
  state->tag = "";
  api->option_string(self, "filename", &state->filename);
  api->option_string(self, "tag", &state->tag);
  api->option_bool(self, "thread", &state->with_thread);
  api->option_bool(self, "line", &state->with_line);
  api->option_bool(self, "args", &state->with_args);
  api->option_bool(self, "values", &state->with_values);
  recorder_self = self;
  self->user_data = state;
#ifdef PYHOOKS_TEST_C_CALLS
  if (api->event_supported(self, PYHOOKS_EVENT_C_CALL) ==
      PYHOOKS_E_UNSUPPORTED) {
    log_line("c_calls unsupported");
  }
#endif
  return PYHOOKS_OK;
}

static void observer_shutdown(pyhooks_plugin* self) {
  recorder_state* state = self->user_data;
  char line[256];
  snprintf(line, sizeof(line), "%sshutdown %s", state->tag, self->name);
  log_line(line);
  free(state);
  if (recorder_self == self) {
    recorder_self = NULL;
  }
}

#ifdef PYHOOKS_TEST_USES_PYTHON
static void append_args(const pyhooks_host_api* api, const pyhooks_frame* frame,
                        char* line, size_t size) {
  int32_t count = api->frame_arg_count(frame);
  for (int32_t i = 0; i < count; ++i) {
    PyObject* arg = api->frame_arg(frame, i);
    PyObject* text = arg ? PyObject_Repr(arg) : NULL;
    const char* utf8 = text ? PyUnicode_AsUTF8AndSize(text, NULL) : NULL;
    size_t used = strlen(line);
    snprintf(line + used, size - used, "%s%s", i ? "," : " (",
             utf8 ? utf8 : "NULL");
    Py_XDECREF(text);
    PyErr_Clear();
  }
  if (count > 0) {
    size_t used = strlen(line);
    snprintf(line + used, size - used, ")");
  }
}
#endif

static pyhooks_status observer_event(pyhooks_plugin* self, pyhooks_event event,
                                     const pyhooks_frame* frame) {
  const pyhooks_host_api* api = self->api;
  const recorder_state* recorder = self->user_data;
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  if (api->code_info(self, frame->code, &info) != PYHOOKS_OK) {
    return PYHOOKS_ERROR;
  }
  if (recorder->filename != NULL &&
      strcmp(info.filename, recorder->filename) != 0) {
    return PYHOOKS_DISABLE;
  }
#ifdef PYHOOKS_TEST_RAISING_OBSERVER
  if (event == PYHOOKS_EVENT_START && strcmp(info.qualname, "boom") == 0) {
    PyErr_SetString(PyExc_ValueError, "the raising observer raised");
    return PYHOOKS_ERROR;
  }
#endif
#ifdef PYHOOKS_TEST_SLOT_USER
  if (event == PYHOOKS_EVENT_START) {
    int64_t* starts = (int64_t*)api->code_data(self, frame->code);
    void** slot = api->code_slot(self, frame->code);
    if (starts == NULL || slot == NULL) {
      return PYHOOKS_ERROR;
    }
    ++*starts;
    if (*slot == NULL) {
      *slot = malloc(16); /* released in code_free */
    }
  }
#endif
  char line[1024];
  snprintf(line, sizeof(line), "%s%s %s", recorder->tag, event_names[event],
           info.qualname);
  if (frame->flags & PYHOOKS_FRAME_THROW) {
    strncat(line, " throw", sizeof(line) - strlen(line) - 1);
  }
  if (recorder->with_line) {
    size_t used = strlen(line);
    snprintf(line + used, sizeof(line) - used, " line=%d",
             (int)api->frame_line(frame));
  }
#ifdef PYHOOKS_TEST_USES_PYTHON
  if (recorder->with_args && event == PYHOOKS_EVENT_START) {
    append_args(api, frame, line, sizeof(line));
  }
#if PYHOOKS_TARGET_ABI_MINOR >= 1
  if (recorder->with_values && event >= PYHOOKS_EVENT_RETURN &&
      event <= PYHOOKS_EVENT_UNWIND &&
      frame->struct_size >= sizeof(pyhooks_frame)) {
    /* the type only: a repr could run Python code */
    size_t used = strlen(line);
    PyObject* type =
        frame->value ? PyType_GetName(Py_TYPE(frame->value)) : NULL;
    const char* name = type ? PyUnicode_AsUTF8AndSize(type, NULL) : NULL;
    snprintf(line + used, sizeof(line) - used, " -> %s", name ? name : "NULL");
    Py_XDECREF(type);
    PyErr_Clear();
  }
#endif
#endif
#ifdef PYHOOKS_TEST_C_CALLS
  if (event >= PYHOOKS_EVENT_C_CALL) {
    /* "c_call CALLER NAME": the calling code, then cProfile's name */
    const char* name = NULL;
    const void* key = NULL;
    size_t used = strlen(line);
    if (api->c_function_name(self, frame, &name, &key) != PYHOOKS_OK ||
        key == NULL || frame->callable == NULL) {
      return PYHOOKS_ERROR;
    }
    snprintf(line + used, sizeof(line) - used, " %s", name);
  }
#endif
  if (recorder->with_thread) {
    size_t used = strlen(line);
    snprintf(line + used, sizeof(line) - used, " thread=%llu",
             (unsigned long long)frame->thread_id);
  }
#if defined(PYHOOKS_TEST_RECORDER)
  log_line(line); /* only the recorder keeps a log: it grows with events */
#endif
  if (event == PYHOOKS_EVENT_START && disabled_by_option(self, info.qualname)) {
    return PYHOOKS_DISABLE;
  }
#ifdef PYHOOKS_TEST_C_CALLS
  if (event == PYHOOKS_EVENT_C_CALL &&
      option_lists(self, "disable_c_call_in", info.qualname)) {
    return PYHOOKS_DISABLE;
  }
#endif
  return PYHOOKS_OK;
}

static const pyhooks_option_desc observer_options[] = {
    {"filename", PYHOOKS_OPTION_STRING, NULL, "record only this file"},
    {"tag", PYHOOKS_OPTION_STRING, "", "prefix for every line"},
    {"thread", PYHOOKS_OPTION_BOOL, "false", "log the thread id"},
    {"line", PYHOOKS_OPTION_BOOL, "false", "log the current line"},
    {"args", PYHOOKS_OPTION_BOOL, "false", "log START arguments"},
    {"values", PYHOOKS_OPTION_BOOL, "false",
     "log the type of exit values (ABI 1.1 frame->value)"},
    {"disable", PYHOOKS_OPTION_STRING_LIST, NULL,
     "qualnames to DISABLE at their first START"},
#ifdef PYHOOKS_TEST_C_CALLS
    {"disable_c_call_in", PYHOOKS_OPTION_STRING_LIST, NULL,
     "qualnames whose first C_CALL is answered DISABLE"},
#endif
};
#endif

#ifdef PYHOOKS_TEST_SLOT_USER
static int64_t code_frees;

static void slot_code_free(pyhooks_plugin* self, const void* code_key,
                           void* slot, void* data) {
  (void)self;
  (void)code_key;
  (void)data;
  free(slot);
  ++code_frees;
}

TEST_EXPORT int64_t pyhooks_test_code_frees(void) { return code_frees; }

/* The START count stored in this plugin's inline data for `code`. */
TEST_EXPORT int64_t pyhooks_test_starts(struct _object* code) {
  if (recorder_self == NULL) {
    return -1;
  }
  int64_t* starts =
      (int64_t*)recorder_self->api->code_data(recorder_self, code);
  return starts ? *starts : -1;
}
#endif

/* ---- evaluators ------------------------------------------------------------
 */
#if defined(PYHOOKS_TEST_EVALUATOR) || defined(PYHOOKS_TEST_WRAPPER) ||       \
    defined(PYHOOKS_TEST_EXCLUSIVE_A) || defined(PYHOOKS_TEST_EXCLUSIVE_B) || \
    defined(PYHOOKS_TEST_PASSTHROUGH_EVALUATOR)
#define TEST_EVALUATOR 1

static int64_t evaluations;
TEST_EXPORT int64_t pyhooks_test_evaluations(void) { return evaluations; }

TEST_MAYBE_UNUSED static int code_named(pyhooks_plugin* self,
                                        pyhooks_frame* frame,
                                        const char* name) {
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  return self->api->code_info(self, frame->code, &info) == PYHOOKS_OK &&
         strcmp(info.name, name) == 0;
}

static pyhooks_status test_evaluate(pyhooks_plugin* self, pyhooks_frame* frame,
                                    struct _object** result) {
  const pyhooks_host_api* api = self->api;
#if defined(PYHOOKS_TEST_EVALUATOR)
  /* Handles pyhooks_test_add(a, b) by computing a + b itself. */
  if (!code_named(self, frame, "pyhooks_test_add") ||
      api->frame_arg_count(frame) != 2) {
    return PYHOOKS_DECLINED;
  }
  ++evaluations;
  *result = PyNumber_Add(api->frame_arg(frame, 0), api->frame_arg(frame, 1));
  return *result ? PYHOOKS_HANDLED : PYHOOKS_ERROR;
#elif defined(PYHOOKS_TEST_WRAPPER)
  /* Wraps pyhooks_test_wrapped(): runs the rest of the chain, then
   * multiplies what it returned by 10. */
  if (!code_named(self, frame, "pyhooks_test_wrapped")) {
    return PYHOOKS_DECLINED;
  }
  ++evaluations;
  PyObject* inner = api->eval_next(self, frame);
  if (inner == NULL) {
    return PYHOOKS_ERROR;
  }
  PyObject* ten = PyLong_FromLong(10);
  *result = ten ? PyNumber_Multiply(inner, ten) : NULL;
  Py_XDECREF(ten);
  Py_DECREF(inner);
  return *result ? PYHOOKS_HANDLED : PYHOOKS_ERROR;
#elif defined(PYHOOKS_TEST_PASSTHROUGH_EVALUATOR)
  (void)api;
  (void)result;
  (void)frame;
  ++evaluations;
  return PYHOOKS_DECLINED;
#else
  (void)api;
  (void)result;
  (void)frame;
  return PYHOOKS_DECLINED;
#endif
}
#endif

/* ---- descriptors ------------------------------------------------------------
 */

/* Variants that only test loading still have a valid observer callback, so
 * that their one defect is the one they test. */
TEST_MAYBE_UNUSED static pyhooks_status quiet_event(
    pyhooks_plugin* self, pyhooks_event event, const pyhooks_frame* frame) {
  (void)self;
  (void)event;
  (void)frame;
  return PYHOOKS_OK;
}

#if defined(PYHOOKS_TEST_NOOP_DISABLE)
static pyhooks_status disable_event(pyhooks_plugin* self, pyhooks_event event,
                                    const pyhooks_frame* frame) {
  (void)self;
  (void)event;
  (void)frame;
  return PYHOOKS_DISABLE;
}
#define NOOP_EVENT disable_event
#elif defined(PYHOOKS_TEST_CALLBACK_DATA)
/* on_event points at read-only data inside the library, not at code: the
 * loader must refuse it at validation (plugin ABI policy LOADER-4). */
static const unsigned char not_code[64] = {0xff};
typedef pyhooks_status (*test_event_fn)(pyhooks_plugin*, pyhooks_event,
                                        const pyhooks_frame*);
#define NOOP_EVENT ((test_event_fn)(const void*)not_code)
#else
#define NOOP_EVENT quiet_event
#endif

#if defined(PYHOOKS_TEST_INIT_FAILS)
static pyhooks_status failing_init(pyhooks_plugin* self) {
  self->api->log(self, PYHOOKS_LOG_ERROR, "test: init fails on purpose");
  return PYHOOKS_ERROR;
}
#endif

#if defined(PYHOOKS_TEST_RECORDER)
#define TEST_NAME "recorder"
#elif defined(PYHOOKS_TEST_SLOT_USER)
#define TEST_NAME "slot_user"
#elif defined(PYHOOKS_TEST_RAISING_OBSERVER)
#define TEST_NAME "raising_observer"
#elif defined(PYHOOKS_TEST_EVALUATOR)
#define TEST_NAME "evaluator"
#elif defined(PYHOOKS_TEST_WRAPPER)
#define TEST_NAME "wrapper"
#elif defined(PYHOOKS_TEST_PASSTHROUGH_EVALUATOR)
#define TEST_NAME "passthrough_evaluator"
#elif defined(PYHOOKS_TEST_EXCLUSIVE_A)
#define TEST_NAME "exclusive_a"
#elif defined(PYHOOKS_TEST_EXCLUSIVE_B)
#define TEST_NAME "exclusive_b"
#elif defined(PYHOOKS_TEST_INIT_FAILS)
#define TEST_NAME "init_fails"
#elif defined(PYHOOKS_TEST_NOOP) || defined(PYHOOKS_TEST_NOOP_DISABLE)
#define TEST_NAME "noop_a"
#else
#define TEST_NAME "basic"
#endif

#if defined(PYHOOKS_TEST_BAD_NAME)
#undef TEST_NAME
#define TEST_NAME "Bad Name!"
#endif

#ifndef TEST_PRIORITY
#if defined(PYHOOKS_TEST_BAD_PRIORITY)
#define TEST_PRIORITY 5000
#else
#define TEST_PRIORITY PYHOOKS_PRIORITY_NORMAL
#endif
#endif

/* Designated initializers: the descriptor compiles unchanged against every
 * ABI 1.x header, frozen 1.0 included (members appended later stay zero). */
#if defined(TEST_OBSERVER)
#define TEST_ROLES PYHOOKS_ROLE_OBSERVER
#define TEST_OPTION_COUNT sizeof(observer_options) / sizeof(observer_options[0])
#define TEST_OPTIONS observer_options
#define TEST_INIT observer_init
#define TEST_SHUTDOWN observer_shutdown
#define TEST_ON_EVENT observer_event
#elif defined(TEST_EVALUATOR)
#define TEST_ROLES PYHOOKS_ROLE_EVALUATOR
#define TEST_EVALUATE test_evaluate
#elif defined(PYHOOKS_TEST_INIT_FAILS)
#define TEST_INIT failing_init
#define TEST_ON_EVENT quiet_event
#elif defined(PYHOOKS_TEST_NO_CALLBACK)
#define TEST_ON_EVENT NULL /* an observer without on_event */
#else
#define TEST_ON_EVENT NOOP_EVENT
#endif
#ifndef TEST_ROLES
#define TEST_ROLES PYHOOKS_ROLE_OBSERVER
#endif
#ifndef TEST_OPTION_COUNT
#define TEST_OPTION_COUNT 0
#define TEST_OPTIONS NULL
#endif
#ifndef TEST_INIT
#define TEST_INIT NULL
#endif
#ifndef TEST_SHUTDOWN
#define TEST_SHUTDOWN NULL
#endif
#ifndef TEST_ON_EVENT
#define TEST_ON_EVENT NULL
#endif
#ifndef TEST_EVALUATE
#define TEST_EVALUATE NULL
#endif

static const pyhooks_plugin_desc plugin = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = TEST_NAME,
    .version = "1.0.0",
    .description = "pyhooks test plugin (" TEST_NAME ")",
    .roles = TEST_ROLES,
    .default_priority = TEST_PRIORITY,
#if defined(PYHOOKS_TEST_EXCLUSIVE_A) || defined(PYHOOKS_TEST_EXCLUSIVE_B)
    .capabilities =
        PYHOOKS_CAP_EXCLUSIVE_EVALUATOR | PYHOOKS_CAP_SUBINTERPRETER_SAFE,
#elif defined(PYHOOKS_TEST_NOOP_DATA)
    .capabilities =
        PYHOOKS_CAP_SUBINTERPRETER_SAFE | PYHOOKS_CAP_FRAME_CODE_DATA,
#else
    .capabilities = PYHOOKS_CAP_SUBINTERPRETER_SAFE,
#endif
#if defined(PYHOOKS_TEST_EVENT_BEYOND_MINOR)
    /* the first bit after the 1.0 events, from a library declaring 1.0 */
    .events = PYHOOKS_EVENTS_ALL | (1u << 5),
#elif defined(PYHOOKS_TEST_C_CALLS)
    .events = PYHOOKS_EVENTS_ALL | PYHOOKS_EVENTS_C_CALLS,
#else
    .events = PYHOOKS_EVENTS_ALL,
#endif
#if defined(PYHOOKS_TEST_SLOT_USER)
    .code_data_size = sizeof(int64_t) * 3,
    .code_free = slot_code_free,
#elif defined(PYHOOKS_TEST_NOOP_DATA)
    /* noop_data: a no-op observer that declares per-code bytes, so that the
     * host hands it frame->code_data (ABI 1.2): what that costs per event */
    .code_data_size = 8,
#endif
    .option_count = TEST_OPTION_COUNT,
    .options = TEST_OPTIONS,
    .init = TEST_INIT,
    .shutdown = TEST_SHUTDOWN,
    .on_event = TEST_ON_EVENT,
    .evaluate = TEST_EVALUATE,
};

#if defined(PYHOOKS_TEST_NOOP) || defined(PYHOOKS_TEST_NOOP_DISABLE)
/* Pass-through observers for the host benchmark (bench/host): `noop` ones
 * receive every event and do nothing with it; `noop_disable` ones answer
 * DISABLE for every code object (the PEP 669 way to pass). Three, so that
 * the cost of a longer observer chain can be measured. `noop_c_calls` is
 * `noop` whose noop_a also takes the C-call events (the host's share under
 * the profiler with builtins on and the tracer with c_calls:
 * bench/profiler/callgrind.py, bench/tracer/callgrind.py). */
#define NOOP_DESC(plugin_name)                                           \
  {                                                                      \
    .struct_size = sizeof(pyhooks_plugin_desc), .name = plugin_name,     \
    .version = "1.0.0",                                                  \
    .description = "pyhooks test plugin: an observer that does nothing", \
    .roles = PYHOOKS_ROLE_OBSERVER,                                      \
    .default_priority = PYHOOKS_PRIORITY_NORMAL,                         \
    .capabilities = PYHOOKS_CAP_SUBINTERPRETER_SAFE,                     \
    .events = PYHOOKS_EVENTS_ALL, .on_event = NOOP_EVENT                 \
  }
static const pyhooks_plugin_desc noop_b = NOOP_DESC("noop_b");
static const pyhooks_plugin_desc noop_c = NOOP_DESC("noop_c");
#endif

#if defined(PYHOOKS_TEST_RECORDER)
/* The recorder library ships a second, identical observer, so that tests
 * can watch two observers write to one log (and load a library that holds
 * several plugins). */
static const pyhooks_plugin_desc plugin_b = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = "recorder_b",
    .version = "1.0.0",
    .description =
        "pyhooks test plugin (a second recorder in the same library)",
    .roles = PYHOOKS_ROLE_OBSERVER,
    .default_priority = PYHOOKS_PRIORITY_NORMAL,
    .capabilities = PYHOOKS_CAP_SUBINTERPRETER_SAFE,
    .events = PYHOOKS_EVENTS_ALL,
    .option_count = sizeof(observer_options) / sizeof(observer_options[0]),
    .options = observer_options,
    .init = observer_init,
    .shutdown = observer_shutdown,
    .on_event = observer_event,
};
static const pyhooks_plugin_desc* const plugins[] = {&plugin, &plugin_b};
#elif defined(PYHOOKS_TEST_NOOP) || defined(PYHOOKS_TEST_NOOP_DISABLE)
static const pyhooks_plugin_desc* const plugins[] = {&plugin, &noop_b, &noop_c};
#else
static const pyhooks_plugin_desc* const plugins[] = {&plugin};
#endif

static const pyhooks_library_desc library = {
    sizeof(pyhooks_library_desc),
#if defined(PYHOOKS_TEST_ABI_MAJOR)
    PYHOOKS_ABI_MAJOR + 1,
#else
    PYHOOKS_ABI_MAJOR,
#endif
#if defined(PYHOOKS_TEST_ABI_MINOR_NEWER)
    PYHOOKS_ABI_MINOR + 1,
#elif defined(PYHOOKS_TEST_EVENT_BEYOND_MINOR) || \
    defined(PYHOOKS_TEST_ABI_MAJOR)
    0,
#else
    PYHOOKS_TARGET_ABI_MINOR,
#endif
#if defined(PYHOOKS_TEST_GARBAGE_COUNT)
    100000,
#else
    sizeof(plugins) / sizeof(plugins[0]),
#endif
    plugins,
};

#if defined(PYHOOKS_TEST_ENTRY_DATA)
/* Exports the entry symbol as data: calling it would fault, so the loader
 * checks its symbol type first (plugin ABI policy LOADER-3). */
TEST_EXPORT const unsigned char pyhooks_plugin_entry[64] = {0xff};
TEST_EXPORT const pyhooks_library_desc* pyhooks_test_library(void) {
  return &library;
}
#elif defined(PYHOOKS_TEST_NO_ENTRY)
/* Exports something, but not the entry symbol. */
TEST_EXPORT pyhooks_status
pyhooks_plugin_entry_misspelled(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}
#else
TEST_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
#if defined(PYHOOKS_TEST_DECLINES)
  if (n->python_version_hex != 0) {
    n->decline_reason = "test: this plugin never runs on this Python";
    return PYHOOKS_DECLINED;
  }
#endif
  return pyhooks_accept(n, &library);
}
#endif
