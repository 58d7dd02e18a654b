/* tests/plugins/api_probe.c - the `probe` test plugin: a window onto the
 * host function table for tests/embedded/host_api_test.cc.
 *
 * It exports its own plugin handle (pyhooks_test_probe_self), so a test can
 * call any host function exactly as a plugin would, and logs (read back with
 * pyhooks_test_take_events) what the ABI 1.1 frame accessors return for code
 * whose name starts with "probe_", and each on_chain_changed call. Limited
 * API: one binary for every CPython.
 */
#include <stdio.h>
#include <string.h>

#define Py_LIMITED_API 0x030B0000
#include <Python.h>
#include <pyhooks/plugin.h>

#include "test_log.h"

static pyhooks_plugin* probe_self;

TEST_EXPORT pyhooks_plugin* pyhooks_test_probe_self(void) { return probe_self; }

static pyhooks_status probe_init(pyhooks_plugin* self) {
  probe_self = self;
  return PYHOOKS_OK;
}

static void probe_shutdown(pyhooks_plugin* self) {
  if (probe_self == self) probe_self = NULL;
}

static int is_probed(pyhooks_plugin* self, struct _object* code,
                     pyhooks_code_info* info) {
  info->struct_size = sizeof(*info);
  return self->api->code_info(self, code, info) == PYHOOKS_OK &&
         strncmp(info->name, "probe_", 6) == 0;
}

static const char* const event_names[] = {"start", "resume", "return", "yield",
                                          "unwind"};

/* "repr" of a borrowed object, into `out`. */
static void describe(PyObject* value, char* out, size_t size) {
  PyObject* text = value ? PyObject_Repr(value) : NULL;
  const char* utf8 = text ? PyUnicode_AsUTF8AndSize(text, NULL) : NULL;
  snprintf(out, size, "%s", value == NULL ? "<unbound>" : utf8 ? utf8 : "?");
  Py_XDECREF(text);
  PyErr_Clear();
}

/* The type name of a borrowed object (ABI 1.1 frame->value), into `out`. */
static void type_of(PyObject* value, char* out, size_t size) {
  PyObject* name = value ? PyType_GetName(Py_TYPE(value)) : NULL;
  const char* utf8 = name ? PyUnicode_AsUTF8AndSize(name, NULL) : NULL;
  snprintf(out, size, "%s", utf8 ? utf8 : "NULL");
  Py_XDECREF(name);
  PyErr_Clear();
}

/* One line per fast-local slot: "local I NAME KIND VALUE". */
static void log_locals(pyhooks_plugin* self, const pyhooks_frame* frame,
                       const pyhooks_code_info* info) {
  const pyhooks_host_api* api = self->api;
  for (int32_t i = 0; i < info->local_count; ++i) {
    const char* name = NULL;
    uint32_t kind = 0;
    PyObject* value = NULL;
    char text[128], line[256];
    if (api->code_local(self, frame->code, i, &name, &kind) != PYHOOKS_OK ||
        api->frame_local(frame, i, &value) != PYHOOKS_OK) {
      snprintf(line, sizeof(line), "local %d failed", (int)i);
    } else {
      describe(value, text, sizeof(text));
      snprintf(line, sizeof(line), "local %d %s %s %s", (int)i, name,
               (kind & PYHOOKS_LOCAL_CELL)   ? "cell"
               : (kind & PYHOOKS_LOCAL_FREE) ? "free"
                                             : "plain",
               text);
    }
    log_line(line);
  }
  PyObject* unused = NULL;
  if (api->frame_local(frame, info->local_count, &unused) !=
      PYHOOKS_E_INVALID) {
    log_line("local past the end was accepted");
  }
}

static pyhooks_status probe_event(pyhooks_plugin* self, pyhooks_event event,
                                  const pyhooks_frame* frame) {
  const pyhooks_host_api* api = self->api;
  pyhooks_code_info info;
  if (!is_probed(self, frame->code, &info)) {
    return PYHOOKS_DISABLE;
  }
  char line[256];
  PyObject* builtins = api->frame_builtins(frame);
  PyObject* value = NULL;
  int entering = event == PYHOOKS_EVENT_START || event == PYHOOKS_EVENT_RESUME;
  snprintf(line, sizeof(line), "%s %s args=%d locals=%d builtins=%s",
           event_names[event], info.qualname, (int)info.arg_count,
           (int)info.local_count,
           builtins == NULL                                ? "none"
           : PyDict_GetItemString(builtins, "len") != NULL ? "dict-with-len"
                                                           : "other");
  if (!entering) {
    char type[64];
    type_of(frame->value, type, sizeof(type));
    size_t used = strlen(line);
    snprintf(line + used, sizeof(line) - used, " -> %s", type);
  } else if (frame->value != NULL) {
    log_line("an enter event carried a value");
  }
  log_line(line);
  if (entering) {
    log_locals(self, frame, &info);
  } else if (api->frame_local(frame, 0, &value) != PYHOOKS_E_INVALID) {
    log_line("frame_local on an exit event was accepted");
  }
  pyhooks_thread_info thread = {.struct_size = sizeof(thread)};
  if (event == PYHOOKS_EVENT_START &&
      api->thread_info(self, frame->thread_id, &thread) == PYHOOKS_OK) {
    snprintf(line, sizeof(line), "thread %s %llu", thread.name,
             (unsigned long long)thread.native_id);
    log_line(line);
  }
  return PYHOOKS_OK;
}

static void probe_chain_changed(pyhooks_plugin* self, uint32_t generation) {
  (void)self;
  char line[64];
  snprintf(line, sizeof(line), "chain changed %u", (unsigned)generation);
  log_line(line);
}

static const pyhooks_plugin_desc probe = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = "probe",
    .version = "1.0.0",
    .description = "pyhooks test plugin: calls the host API for tests",
    .roles = PYHOOKS_ROLE_OBSERVER,
    .default_priority = PYHOOKS_PRIORITY_NORMAL,
    .capabilities = PYHOOKS_CAP_SUBINTERPRETER_SAFE,
    .events = PYHOOKS_EVENTS_ALL,
    .init = probe_init,
    .shutdown = probe_shutdown,
    .on_event = probe_event,
    .on_chain_changed = probe_chain_changed,
};

static const pyhooks_plugin_desc* const plugins[] = {&probe};

static const pyhooks_library_desc library = {
    .struct_size = sizeof(pyhooks_library_desc),
    .abi_major = PYHOOKS_ABI_MAJOR,
    .abi_minor = PYHOOKS_TARGET_ABI_MINOR,
    .plugin_count = 1,
    .plugins = plugins,
};

TEST_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}
