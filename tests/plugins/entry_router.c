/* tests/plugins/entry_router.c - the `router` test plugin: an evaluator that
 * uses the ABI 1.1 watchers and host-mediated function entries from a real
 * plugin, for tests/embedded/entry_test.cc.
 *
 * It evaluates nothing itself (every frame is declined); tests call its
 * exported functions to route a function or watch an object, and read back
 * (pyhooks_test_take_events) one line per watcher event, entry call and
 * entry end. Its native entry adds: two positional ints are added in C
 * (HANDLED); anything else is DECLINED, so the host calls the function as
 * CPython would. Two sentinel first arguments break the contract on
 * purpose: 13 raises ValueError through ERROR, 666 returns HANDLED without a
 * result. Limited API: one binary for every CPython.
 */
#include <stdio.h>
#include <string.h>

#define Py_LIMITED_API 0x030B0000
#include <Python.h>
#include <pyhooks/plugin.h>

#include "test_log.h"

static pyhooks_plugin* router_self;
/* Option `bench` (bench/host/entry_callgrind.py): "handle" makes the entry
 * return the argument of a one-argument call, "decline" decline every call,
 * both logging nothing, so that a measurement counts the host's part of the
 * call only. */
enum { LOGGING, BENCH_HANDLE, BENCH_DECLINE };
static int bench_mode;

TEST_EXPORT pyhooks_plugin* pyhooks_test_router_self(void) {
  return router_self;
}

static pyhooks_status router_init(pyhooks_plugin* self) {
  router_self = self;
  const char* mode = NULL;
  bench_mode = LOGGING;
  if (self->api->option_string(self, "bench", &mode) == PYHOOKS_OK) {
    if (strcmp(mode, "handle") == 0) {
      bench_mode = BENCH_HANDLE;
    } else if (strcmp(mode, "decline") == 0) {
      bench_mode = BENCH_DECLINE;
    } else {
      self->api->log(self, PYHOOKS_LOG_ERROR,
                     "option bench must be \"handle\" or \"decline\"");
      return PYHOOKS_ERROR;
    }
  }
  return PYHOOKS_OK;
}

static void router_shutdown(pyhooks_plugin* self) {
  if (router_self == self) router_self = NULL;
}

static pyhooks_status router_evaluate(pyhooks_plugin* self,
                                      pyhooks_frame* frame,
                                      struct _object** result) {
  (void)self;
  (void)frame;
  (void)result;
  return PYHOOKS_DECLINED;
}

/* A short, side-effect-free description: no Python code runs in a watcher
 * callback. */
static void describe(PyObject* value, char* out, size_t size) {
  if (value == NULL) {
    snprintf(out, size, "-");
  } else if (PyUnicode_Check(value)) {
    const char* text = PyUnicode_AsUTF8AndSize(value, NULL);
    snprintf(out, size, "%s", text ? text : "?");
  } else if (PyLong_Check(value)) {
    snprintf(out, size, "%ld", PyLong_AsLong(value));
  } else {
    snprintf(out, size, "<%s>", PyDict_Check(value) ? "dict" : "object");
  }
  PyErr_Clear();
}

static const char* const kind_names[] = {"dict", "function", "code", "type"};
static const char* const change_names[] = {
    "added", "modified", "deleted",    "cleared",  "cloned",
    "code",  "defaults", "kwdefaults", "modified", "destroyed"};

static void router_watched(pyhooks_plugin* self,
                           const pyhooks_watch_event* event) {
  (void)self;
  char key[64], value[64], line[200];
  describe(event->key, key, sizeof(key));
  describe(event->value, value, sizeof(value));
  snprintf(line, sizeof(line), "watch %s %s %s %s cookie=%ld",
           kind_names[event->kind], change_names[event->change], key, value,
           (long)(intptr_t)event->cookie);
  log_line(line);
}

TEST_EXPORT int pyhooks_test_router_watch(int kind, PyObject* object,
                                          long cookie) {
  return router_self->api->watch(router_self, kind, object, router_watched,
                                 (void*)(intptr_t)cookie);
}

TEST_EXPORT int pyhooks_test_router_unwatch(int kind, PyObject* object) {
  return router_self->api->unwatch(router_self, kind, object);
}

/* The positional count of a vectorcall (PyVectorcall_NARGS is not in the
 * 3.11 limited API). */
static size_t positional(size_t nargsf) {
  return nargsf & ~((size_t)1 << (8 * sizeof(size_t) - 1));
}

static pyhooks_status router_call(pyhooks_plugin* self, void* cookie,
                                  struct _object* function,
                                  struct _object* const* args, size_t nargsf,
                                  struct _object* kwnames,
                                  struct _object** result) {
  (void)self;
  (void)function;
  size_t nargs = positional(nargsf);
  char line[96];
  if (bench_mode == BENCH_DECLINE) return PYHOOKS_DECLINED;
  if (bench_mode == BENCH_HANDLE) {
    if (nargs != 1 || kwnames != NULL) return PYHOOKS_DECLINED;
    Py_INCREF(args[0]);
    *result = args[0];
    return PYHOOKS_HANDLED;
  }
  if (nargs == 2 && kwnames == NULL && PyLong_CheckExact(args[0]) &&
      PyLong_CheckExact(args[1])) {
    long first = PyLong_AsLong(args[0]);
    if (first == 13) {
      PyErr_SetString(PyExc_ValueError, "thirteen");
      log_line("entry error");
      return PYHOOKS_ERROR;
    }
    if (first == 666) {
      log_line("entry broken");
      return PYHOOKS_HANDLED; /* without a result: a contract breach */
    }
    *result = PyNumber_Add(args[0], args[1]);
    snprintf(line, sizeof(line), "entry handled cookie=%ld",
             (long)(intptr_t)cookie);
    log_line(line);
    return *result ? PYHOOKS_HANDLED : PYHOOKS_ERROR;
  }
  snprintf(line, sizeof(line), "entry declined nargs=%zu kw=%zd", nargs,
           kwnames ? PyTuple_Size(kwnames) : (Py_ssize_t)0);
  log_line(line);
  return PYHOOKS_DECLINED;
}

static void router_undone(pyhooks_plugin* self, void* cookie,
                          struct _object* function, int32_t reason) {
  (void)self;
  (void)function;
  static const char* const reasons[] = {"cleared",   "chain",    "modified",
                                        "destroyed", "shutdown", "failed"};
  char line[96];
  snprintf(line, sizeof(line), "undone %s cookie=%ld",
           reason >= 0 && reason <= 5 ? reasons[reason] : "?",
           (long)(intptr_t)cookie);
  log_line(line);
}

TEST_EXPORT int pyhooks_test_router_route(PyObject* function, long cookie) {
  pyhooks_function_entry entry = {
      .struct_size = sizeof(entry),
      .call = router_call,
      .undone = router_undone,
      .cookie = (void*)(intptr_t)cookie,
  };
  return router_self->api->function_entry_set(router_self, function, &entry);
}

TEST_EXPORT int pyhooks_test_router_unroute(PyObject* function) {
  return router_self->api->function_entry_clear(router_self, function);
}

static const pyhooks_option_desc router_options[] = {
    {"bench", PYHOOKS_OPTION_STRING, NULL,
     "handle: return a one-argument call's argument; decline: decline all"},
};

static const pyhooks_plugin_desc router = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = "router",
    .version = "1.0.0",
    .description = "pyhooks test plugin: watchers and function entries",
    .roles = PYHOOKS_ROLE_EVALUATOR,
    .default_priority = PYHOOKS_PRIORITY_NORMAL,
    .init = router_init,
    .shutdown = router_shutdown,
    .evaluate = router_evaluate,
    .option_count = 1,
    .options = router_options,
};

/* `entry_router`: the same plugin as an entry evaluator (HOST-28), for
 * which the host installs no eval-frame hook on 3.12+. */
static const pyhooks_plugin_desc entry_router = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = "entry_router",
    .version = "1.0.0",
    .description = "pyhooks test plugin: function entries without the hook",
    .roles = PYHOOKS_ROLE_EVALUATOR,
    .default_priority = PYHOOKS_PRIORITY_NORMAL,
    .capabilities = PYHOOKS_CAP_ENTRY_EVALUATOR,
    .init = router_init,
    .shutdown = router_shutdown,
    .evaluate = router_evaluate,
    .option_count = 1,
    .options = router_options,
};

static const pyhooks_plugin_desc* const plugins[] = {&router, &entry_router};

static const pyhooks_library_desc library = {
    .struct_size = sizeof(pyhooks_library_desc),
    .abi_major = PYHOOKS_ABI_MAJOR,
    .abi_minor = PYHOOKS_TARGET_ABI_MINOR,
    .plugin_count = 2,
    .plugins = plugins,
};

TEST_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}
