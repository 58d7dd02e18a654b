/* tiny.c - a C observer built with pkg-config's flags only: counts START
 * events and logs the count at shutdown (a warning, so that it shows). */
#include <pyhooks/plugin.h>
#include <stdio.h>

static unsigned long long starts;

static pyhooks_status tiny_init(pyhooks_plugin* self) {
  (void)self;
  starts = 0;
  return PYHOOKS_OK;
}

static void tiny_shutdown(pyhooks_plugin* self) {
  char line[64];
  snprintf(line, sizeof(line), "tiny saw %llu starts", starts);
  self->api->log(self, PYHOOKS_LOG_WARNING, line);
}

static pyhooks_status tiny_event(pyhooks_plugin* self, pyhooks_event event,
                                 const pyhooks_frame* frame) {
  (void)self;
  (void)frame;
  if (event == PYHOOKS_EVENT_START) ++starts;
  return PYHOOKS_OK;
}

static const pyhooks_plugin_desc tiny = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = "tiny",
    .version = "1.0",
    .description = "counts starts",
    .roles = PYHOOKS_ROLE_OBSERVER,
    .default_priority = PYHOOKS_PRIORITY_NORMAL,
    .events = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START),
    .init = tiny_init,
    .shutdown = tiny_shutdown,
    .on_event = tiny_event,
};

static const pyhooks_plugin_desc* const plugins[] = {&tiny};
static const pyhooks_library_desc library = {
    .struct_size = sizeof(pyhooks_library_desc),
    .abi_major = PYHOOKS_ABI_MAJOR,
    .abi_minor = PYHOOKS_TARGET_ABI_MINOR,
    .plugin_count = 1,
    .plugins = plugins,
};

PYHOOKS_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}
