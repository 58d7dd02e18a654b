/* tests/plugins/code_data_plugin.c - `code_data`, `code_data_b` and
 * `code_data_none`: observers that check ABI 1.2's pyhooks_frame.code_data
 * on every event they receive against what api->code_data returns for the
 * frame's code (tests/embedded/code_data_test.cc).
 *
 * `code_data` and `code_data_b` declare inline bytes of different sizes (so
 * a pointer meant for one plugin cannot pass for the other's), `code_data_
 * none` declares none (it must see NULL). Each also counts its STARTs of a
 * code object in those bytes, through the frame's pointer only, so that a
 * test can read the count back through api->code_data. All three take the
 * C-call events too (3.12+), whose frame->code is the calling code.
 * `code_data_evaluator` is an evaluator with 8 bytes that checks the pointer
 * in every `evaluate`, counts its offers of a code object in those bytes,
 * and declines.
 */
#include <pyhooks/plugin.h>
#include <stdint.h>
#include <string.h>

#define TEST_EXPORT PYHOOKS_EXPORT

typedef struct checks {
  int64_t events;     /* events received */
  int64_t matched;    /* frame->code_data == api->code_data(self, code) */
  int64_t mismatched; /* anything else, including a short frame */
  int64_t non_null;   /* events whose frame->code_data was not NULL */
} checks;

typedef struct counted {
  int64_t starts;
  int64_t padding[2]; /* only to make this plugin's bytes larger */
} counted;

static checks checks_by_plugin[4];
static pyhooks_plugin* handles[4];

static int which(pyhooks_plugin* self) {
  return (int)(intptr_t)self->user_data;
}

/* Counts one event in `seen`; false if the frame is too short to hold the
 * pointer. */
static int check_pointer(pyhooks_plugin* self, const pyhooks_frame* frame) {
  checks* seen = &checks_by_plugin[which(self)];
  ++seen->events;
  if (!PYHOOKS_FRAME_HAS(frame, code_data)) {
    ++seen->mismatched;
    return 0;
  }
  void* expected = self->api->code_data(self, frame->code);
  if (frame->code_data == expected) {
    ++seen->matched;
  } else {
    ++seen->mismatched;
  }
  if (frame->code_data != NULL) {
    ++seen->non_null;
  }
  return 1;
}

static pyhooks_status check_evaluate(pyhooks_plugin* self, pyhooks_frame* frame,
                                     struct _object** result) {
  (void)result;
  if (check_pointer(self, frame) && frame->code_data != NULL) {
    ++((int64_t*)frame->code_data)[0]; /* offers */
  }
  return PYHOOKS_DECLINED;
}

static pyhooks_status check_event(pyhooks_plugin* self, pyhooks_event event,
                                  const pyhooks_frame* frame) {
  if (check_pointer(self, frame) && frame->code_data != NULL &&
      event == PYHOOKS_EVENT_START) {
    ++((int64_t*)frame->code_data)[0]; /* starts, for both layouts */
  }
  return PYHOOKS_OK;
}

static pyhooks_status check_init(pyhooks_plugin* self) {
  const char* name = self->name;
  int index = strcmp(name, "code_data") == 0             ? 0
              : strcmp(name, "code_data_b") == 0         ? 1
              : strcmp(name, "code_data_evaluator") == 0 ? 3
                                                         : 2;
  self->user_data = (void*)(intptr_t)index;
  handles[index] = self;
  memset(&checks_by_plugin[index], 0, sizeof(checks));
  return PYHOOKS_OK;
}

static void check_shutdown(pyhooks_plugin* self) { handles[which(self)] = 0; }

#define CHECKING_OBSERVER(plugin_name, data_size)                      \
  {                                                                    \
    .struct_size = sizeof(pyhooks_plugin_desc), .name = plugin_name,   \
    .version = "1.0.0",                                                \
    .description = "pyhooks test plugin: checks frame->code_data",     \
    .roles = PYHOOKS_ROLE_OBSERVER,                                    \
    .default_priority = PYHOOKS_PRIORITY_NORMAL,                       \
    .capabilities =                                                    \
        PYHOOKS_CAP_SUBINTERPRETER_SAFE | PYHOOKS_CAP_FRAME_CODE_DATA, \
    .events = PYHOOKS_EVENTS_ALL | PYHOOKS_EVENTS_C_CALLS,             \
    .code_data_size = data_size, .init = check_init,                   \
    .shutdown = check_shutdown, .on_event = check_event                \
  }

static const pyhooks_plugin_desc code_data =
    CHECKING_OBSERVER("code_data", sizeof(counted));
static const pyhooks_plugin_desc code_data_b =
    CHECKING_OBSERVER("code_data_b", sizeof(int64_t));
static const pyhooks_plugin_desc code_data_none =
    CHECKING_OBSERVER("code_data_none", 0);

static const pyhooks_plugin_desc code_data_evaluator = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = "code_data_evaluator",
    .version = "1.0.0",
    .description = "pyhooks test plugin: checks frame->code_data in evaluate",
    .roles = PYHOOKS_ROLE_EVALUATOR,
    .default_priority = PYHOOKS_PRIORITY_NORMAL,
    .capabilities =
        PYHOOKS_CAP_SUBINTERPRETER_SAFE | PYHOOKS_CAP_FRAME_CODE_DATA,
    .code_data_size = sizeof(int64_t),
    .init = check_init,
    .shutdown = check_shutdown,
    .evaluate = check_evaluate,
};

static const pyhooks_plugin_desc* const plugins[] = {
    &code_data, &code_data_b, &code_data_none, &code_data_evaluator};
static const pyhooks_library_desc library = {
    .struct_size = sizeof(pyhooks_library_desc),
    .abi_major = PYHOOKS_ABI_MAJOR,
    .abi_minor = PYHOOKS_TARGET_ABI_MINOR,
    .plugin_count = 4,
    .plugins = plugins,
};

PYHOOKS_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}

/* What plugin `index` (0: code_data, 1: code_data_b, 2: code_data_none)
 * checked since its init: events, matched, mismatched, non_null. */
TEST_EXPORT void pyhooks_test_code_data_checks(int index, int64_t out[4]) {
  const checks* seen = &checks_by_plugin[index];
  out[0] = seen->events;
  out[1] = seen->matched;
  out[2] = seen->mismatched;
  out[3] = seen->non_null;
}

/* The STARTs plugin `index` counted for `code` through frame->code_data,
 * read back through api->code_data; -1 if the plugin is not active or has
 * no bytes. */
TEST_EXPORT int64_t pyhooks_test_code_data_starts(int index,
                                                  struct _object* code) {
  pyhooks_plugin* self = handles[index];
  if (self == 0) {
    return -1;
  }
  int64_t* data = (int64_t*)self->api->code_data(self, code);
  return data != 0 ? data[0] : -1;
}
