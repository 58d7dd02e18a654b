/* examples/plugins/call_counter.c - a complete pyhooks observer, as small as
 * one can be: counts how often each Python function starts, and prints the
 * most called ones when the interpreter exits.
 *
 * It is the example of docs/plugin-authoring.md, built by the project and
 * exercised by tests/python/test_examples.py. Build it on its own with:
 *
 *   cc -shared -fPIC -fvisibility=hidden -O2 \
 *      -I <pyhooks>/include -o pyhooks_call_counter.so call_counter.c
 *
 * It includes only pyhooks/plugin.h, so one binary works on every CPython
 * pyhooks supports.
 */
#include <pyhooks/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the plugin keeps per code object, in the host's per-code storage. */
typedef struct per_code {
  int64_t starts;
} per_code;

/* What it keeps for the run: the code objects it has seen. */
typedef struct counter {
  int64_t top; /* rows to print */
  const void** codes;
  size_t count, capacity;
} counter;

static pyhooks_status counter_init(pyhooks_plugin* self) {
  counter* state = calloc(1, sizeof(counter));
  if (state == NULL) {
    return PYHOOKS_ERROR;
  }
  state->top = 10;
  self->api->option_int(self, "top", &state->top); /* keeps 10 if unset */
  if (state->top < 0) {
    self->api->log(self, PYHOOKS_LOG_ERROR, "option 'top' must be >= 0");
    free(state);
    return PYHOOKS_ERROR;
  }
  self->user_data = state;
  return PYHOOKS_OK;
}

static pyhooks_status counter_event(pyhooks_plugin* self, pyhooks_event event,
                                    const pyhooks_frame* frame) {
  (void)event; /* only START is subscribed */
  per_code* data = self->api->code_data(self, frame->code);
  if (data == NULL) {
    return PYHOOKS_ERROR; /* out of memory: the host reports and disables us */
  }
  if (data->starts++ == 0) {
    counter* state = self->user_data;
    if (state->count == state->capacity) {
      size_t capacity = state->capacity ? 2 * state->capacity : 64;
      const void** codes = realloc(state->codes, capacity * sizeof(void*));
      if (codes == NULL) {
        return PYHOOKS_ERROR;
      }
      state->codes = codes;
      state->capacity = capacity;
    }
    state->codes[state->count++] = frame->code;
  }
  return PYHOOKS_OK;
}

/* A code object is going away: forget it. Also called, after our shutdown,
 * for code objects still alive then - nothing left to do by that time. */
static void counter_code_free(pyhooks_plugin* self, const void* code_key,
                              void* slot, void* data) {
  (void)slot;
  (void)data;
  counter* state = self->user_data;
  if (state == NULL) {
    return;
  }
  for (size_t i = 0; i < state->count; ++i) {
    if (state->codes[i] == code_key) {
      state->codes[i] = state->codes[--state->count];
      return;
    }
  }
}

static void counter_shutdown(pyhooks_plugin* self) {
  counter* state = self->user_data;
  /* Code objects are still alive here: read their counts and names. */
  for (int64_t row = 0; row < state->top; ++row) {
    size_t best = state->count;
    int64_t most = 0;
    for (size_t i = 0; i < state->count; ++i) {
      per_code* data =
          self->api->code_data(self, (struct _object*)state->codes[i]);
      if (data != NULL && data->starts > most) {
        most = data->starts;
        best = i;
      }
    }
    if (best == state->count) {
      break;
    }
    struct _object* code = (struct _object*)state->codes[best];
    pyhooks_code_info info;
    info.struct_size = sizeof(info);
    if (self->api->code_info(self, code, &info) == PYHOOKS_OK) {
      fprintf(stderr, "call_counter: %10lld  %s (%s:%d)\n", (long long)most,
              info.qualname, info.filename, (int)info.first_line);
    }
    ((per_code*)self->api->code_data(self, code))->starts = -most; /* done */
  }
  free(state->codes);
  free(state);
  self->user_data = NULL;
}

static const pyhooks_option_desc options[] = {
    {"top", PYHOOKS_OPTION_INT, "10", "how many functions to print at exit"},
};

/* Designated initializers: members a newer header appends stay zero, so
 * this compiles unchanged (and warning-free) against every ABI 1.x header. */
static const pyhooks_plugin_desc call_counter = {
    .struct_size = sizeof(pyhooks_plugin_desc),
    .name = "call_counter",
    .version = "1.0.0",
    .description = "counts function starts and prints the most called at exit",
    .roles = PYHOOKS_ROLE_OBSERVER,
    .default_priority = PYHOOKS_PRIORITY_NORMAL,
    .capabilities = PYHOOKS_CAP_SUBINTERPRETER_SAFE,
    .events = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START),
    .build_tag = NULL,                  /* not tied to one CPython build */
    .code_data_size = sizeof(per_code), /* zeroed bytes per code object */
    .option_count = sizeof(options) / sizeof(options[0]),
    .options = options,
    .init = counter_init,
    .shutdown = counter_shutdown,
    .on_event = counter_event,
    .code_free = counter_code_free,
};

static const pyhooks_plugin_desc* const plugins[] = {&call_counter};
static const pyhooks_library_desc library = {
    sizeof(pyhooks_library_desc), PYHOOKS_ABI_MAJOR, PYHOOKS_TARGET_ABI_MINOR,
    1, plugins};

PYHOOKS_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}
