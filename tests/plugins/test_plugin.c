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

/* ---- the event log (recorder, slot_user) -------------------------------- */

static char* event_log;
static size_t event_log_used, event_log_capacity;

/* Appends one line; the log grows as needed (a test that lost events
 * silently would test nothing). */
TEST_MAYBE_UNUSED static void log_line(const char* line) {
  size_t length = strlen(line);
  if (event_log_used + length + 2 > event_log_capacity) {
    size_t capacity = event_log_capacity ? 2 * event_log_capacity : 1 << 20;
    while (capacity < event_log_used + length + 2) capacity *= 2;
    char* grown = realloc(event_log, capacity);
    if (grown == NULL) {
      abort(); /* a test plugin: out of memory is not a result */
    }
    event_log = grown;
    event_log_capacity = capacity;
  }
  memcpy(event_log + event_log_used, line, length);
  event_log_used += length;
  event_log[event_log_used++] = '\n';
  event_log[event_log_used] = '\0';
}

/* Copies the log into `buffer` (NUL-terminated) and clears it. Returns the
 * full length, so a caller can retry with a bigger buffer. */
TEST_EXPORT size_t pyhooks_test_take_events(char* buffer, size_t size) {
  size_t length = event_log_used;
  if (buffer != NULL && size > length) {
    if (event_log != NULL) memcpy(buffer, event_log, length);
    buffer[length] = '\0';
    event_log_used = 0;
  }
  return length;
}

TEST_MAYBE_UNUSED static const char* const event_names[] = {
    "start", "resume", "return", "yield", "unwind"};

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
} recorder_state;

static pyhooks_plugin* recorder_self;

static int disabled_by_option(pyhooks_plugin* self, const char* qualname) {
  uint32_t count = 0;
  if (self->api->option_list_count(self, "disable", &count) != PYHOOKS_OK) {
    return 0;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const char* item = NULL;
    if (self->api->option_list_item(self, "disable", i, &item) == PYHOOKS_OK &&
        strcmp(item, qualname) == 0) {
      return 1;
    }
  }
  return 0;
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
  recorder_self = self;
  self->user_data = state;
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
  return PYHOOKS_OK;
}

static const pyhooks_option_desc observer_options[] = {
    {"filename", PYHOOKS_OPTION_STRING, NULL, "record only this file"},
    {"tag", PYHOOKS_OPTION_STRING, "", "prefix for every line"},
    {"thread", PYHOOKS_OPTION_BOOL, "false", "log the thread id"},
    {"line", PYHOOKS_OPTION_BOOL, "false", "log the current line"},
    {"args", PYHOOKS_OPTION_BOOL, "false", "log START arguments"},
    {"disable", PYHOOKS_OPTION_STRING_LIST, NULL,
     "qualnames to DISABLE at their first START"},
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

static const pyhooks_plugin_desc plugin = {
    sizeof(pyhooks_plugin_desc),
    TEST_NAME,
    "1.0.0",
    "pyhooks test plugin (" TEST_NAME ")",
#if defined(TEST_OBSERVER)
    PYHOOKS_ROLE_OBSERVER,
#elif defined(TEST_EVALUATOR)
    PYHOOKS_ROLE_EVALUATOR,
#else
    PYHOOKS_ROLE_OBSERVER,
#endif
    TEST_PRIORITY,
#if defined(PYHOOKS_TEST_EXCLUSIVE_A) || defined(PYHOOKS_TEST_EXCLUSIVE_B)
    PYHOOKS_CAP_EXCLUSIVE_EVALUATOR | PYHOOKS_CAP_SUBINTERPRETER_SAFE,
#else
    PYHOOKS_CAP_SUBINTERPRETER_SAFE,
#endif
    PYHOOKS_EVENTS_ALL,
    NULL,
#if defined(PYHOOKS_TEST_SLOT_USER)
    sizeof(int64_t) * 3,
#else
    0,
#endif
#if defined(TEST_OBSERVER)
    sizeof(observer_options) / sizeof(observer_options[0]),
    observer_options,
    observer_init,
    observer_shutdown,
    observer_event,
    NULL,
#elif defined(TEST_EVALUATOR)
    0,
    NULL,
    NULL,
    NULL,
    NULL,
    test_evaluate,
#elif defined(PYHOOKS_TEST_INIT_FAILS)
    0,
    NULL,
    failing_init,
    NULL,
    quiet_event,
    NULL,
#elif defined(PYHOOKS_TEST_NO_CALLBACK)
    0,
    NULL,
    NULL,
    NULL,
    NULL, /* an observer without on_event */
    NULL,
#else
    0,
    NULL,
    NULL,
    NULL,
    NOOP_EVENT,
    NULL,
#endif
#if defined(PYHOOKS_TEST_SLOT_USER)
    slot_code_free,
#else
    NULL,
#endif
    NULL,
};

#if defined(PYHOOKS_TEST_NOOP) || defined(PYHOOKS_TEST_NOOP_DISABLE)
/* Pass-through observers for the host benchmark (bench/host): `noop` ones
 * receive every event and do nothing with it; `noop_disable` ones answer
 * DISABLE for every code object (the PEP 669 way to pass). Three, so that
 * the cost of a longer observer chain can be measured. */
#define NOOP_DESC(plugin_name)                                                 \
  {                                                                            \
    sizeof(pyhooks_plugin_desc), plugin_name, "1.0.0",                         \
        "pyhooks test plugin: an observer that does nothing",                  \
        PYHOOKS_ROLE_OBSERVER, PYHOOKS_PRIORITY_NORMAL,                        \
        PYHOOKS_CAP_SUBINTERPRETER_SAFE, PYHOOKS_EVENTS_ALL, NULL, 0, 0, NULL, \
        NULL, NULL, NOOP_EVENT, NULL, NULL, NULL                               \
  }
static const pyhooks_plugin_desc noop_b = NOOP_DESC("noop_b");
static const pyhooks_plugin_desc noop_c = NOOP_DESC("noop_c");
#endif

#if defined(PYHOOKS_TEST_RECORDER)
/* The recorder library ships a second, identical observer, so that tests
 * can watch two observers write to one log (and load a library that holds
 * several plugins). */
static const pyhooks_plugin_desc plugin_b = {
    sizeof(pyhooks_plugin_desc),
    "recorder_b",
    "1.0.0",
    "pyhooks test plugin (a second recorder in the same library)",
    PYHOOKS_ROLE_OBSERVER,
    PYHOOKS_PRIORITY_NORMAL,
    PYHOOKS_CAP_SUBINTERPRETER_SAFE,
    PYHOOKS_EVENTS_ALL,
    NULL,
    0,
    sizeof(observer_options) / sizeof(observer_options[0]),
    observer_options,
    observer_init,
    observer_shutdown,
    observer_event,
    NULL,
    NULL,
    NULL,
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
#elif defined(PYHOOKS_TEST_ABI_MAJOR)
    0, /* "ABI 2.0": the message names both versions */
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

#if defined(PYHOOKS_TEST_NO_ENTRY)
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
