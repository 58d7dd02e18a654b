/* tests/plugins/api_probe.c - the `probe` test plugin: a window onto the
 * host function table for tests/embedded/host_api_test.cc.
 *
 * It exports its own plugin handle (pyhooks_test_probe_self), so a test can
 * call any host function exactly as a plugin would, and logs what the frame
 * accessors return for code whose name starts with "probe_" (read back with
 * pyhooks_test_take_events). Limited API: one binary for every CPython.
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

static pyhooks_status probe_event(pyhooks_plugin* self, pyhooks_event event,
                                  const pyhooks_frame* frame) {
  pyhooks_code_info info;
  if (!is_probed(self, frame->code, &info)) {
    return PYHOOKS_DISABLE;
  }
  char line[256];
  snprintf(line, sizeof(line), "event %d %s", (int)event, info.qualname);
  log_line(line);
  return PYHOOKS_OK;
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
