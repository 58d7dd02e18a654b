/* tests/plugins/trampoline_plugin.c - `trampoline_a` and `trampoline_b`:
 * evaluators with ABI 1.2's PYHOOKS_CAP_INTERPRETER_TRAMPOLINE, for
 * tests/embedded/trampoline_test.cc.
 *
 * Each gives every code object whose name starts with "pyhooks_test_" its
 * own C trampoline (one per plugin; it counts its calls, then enters the
 * interpreter as the contract says) and answers DISABLE, so that it is never
 * offered that code again and the host alone keeps calling the trampoline.
 * Generator code is never offered to evaluators: trampoline_a is an
 * observer too and sets the trampoline at a generator's first START, so
 * that its later resumes enter through it. trampoline_b is an evaluator
 * only (the hook's path for chains without observers).
 * Built a second time with PYHOOKS_TEST_TRAMPOLINE_NO_DATA (no per-code
 * bytes, so nowhere to keep a trampoline) for the loader's refusal
 * (tests/unit/plugin_library_test.cc).
 */
#include <pyhooks/plugin.h>
#include <stdint.h>
#include <string.h>

#define TEST_EXPORT PYHOOKS_EXPORT

static int64_t calls[2];

static struct _object* trampoline_a(void* tstate, void* frame, int throwflag,
                                    pyhooks_interpreter_fn interpreter) {
  ++calls[0];
  return interpreter(tstate, frame, throwflag);
}

static struct _object* trampoline_b(void* tstate, void* frame, int throwflag,
                                    pyhooks_interpreter_fn interpreter) {
  ++calls[1];
  return interpreter(tstate, frame, throwflag);
}

static int is_test_code(pyhooks_plugin* self, struct _object* code) {
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  return self->api->code_info(self, code, &info) == PYHOOKS_OK &&
         strncmp(info.name, "pyhooks_test_", 13) == 0;
}

/* Sets this plugin's trampoline in `data` for test code; false for other
 * code. */
static int name_code(pyhooks_plugin* self, struct _object* code, void* data) {
  if (data == NULL || !is_test_code(self, code)) {
    return 0;
  }
  *(pyhooks_trampoline_fn*)data =
      strcmp(self->name, "trampoline_a") == 0 ? trampoline_a : trampoline_b;
  return 1;
}

static pyhooks_status name_on_first_call(pyhooks_plugin* self,
                                         pyhooks_frame* frame,
                                         struct _object** result) {
  (void)result;
  name_code(self, frame->code, frame->code_data);
  return PYHOOKS_DISABLE; /* named or not, never offered this code again */
}

static pyhooks_status name_on_start(pyhooks_plugin* self, pyhooks_event event,
                                    const pyhooks_frame* frame) {
  if (event != PYHOOKS_EVENT_START ||
      !(frame->flags & PYHOOKS_FRAME_GENERATOR)) {
    return PYHOOKS_OK;
  }
  return name_code(self, frame->code, frame->code_data) ? PYHOOKS_DISABLE
                                                        : PYHOOKS_OK;
}

static pyhooks_status reset_count(pyhooks_plugin* self) {
  calls[strcmp(self->name, "trampoline_a") == 0 ? 0 : 1] = 0;
  return PYHOOKS_OK;
}

#if defined(PYHOOKS_TEST_TRAMPOLINE_NO_DATA)
#define TRAMPOLINE_DATA_SIZE 0
#else
#define TRAMPOLINE_DATA_SIZE sizeof(pyhooks_trampoline_fn)
#endif

#define TRAMPOLINE_EVALUATOR(plugin_name, plugin_roles, wanted)           \
  {                                                                       \
    .struct_size = sizeof(pyhooks_plugin_desc), .name = plugin_name,      \
    .version = "1.0.0",                                                   \
    .description = "pyhooks test plugin: an interpreter trampoline",      \
    .roles = plugin_roles, .default_priority = PYHOOKS_PRIORITY_NORMAL,   \
    .capabilities = PYHOOKS_CAP_INTERPRETER_TRAMPOLINE, .events = wanted, \
    .code_data_size = TRAMPOLINE_DATA_SIZE, .init = reset_count,          \
    .on_event = name_on_start, .evaluate = name_on_first_call             \
  }

static const pyhooks_plugin_desc plugin_a = TRAMPOLINE_EVALUATOR(
    "trampoline_a", PYHOOKS_ROLE_EVALUATOR | PYHOOKS_ROLE_OBSERVER,
    PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START));
static const pyhooks_plugin_desc plugin_b =
    TRAMPOLINE_EVALUATOR("trampoline_b", PYHOOKS_ROLE_EVALUATOR, 0);

static const pyhooks_plugin_desc* const plugins[] = {&plugin_a, &plugin_b};
static const pyhooks_library_desc library = {
    .struct_size = sizeof(pyhooks_library_desc),
    .abi_major = PYHOOKS_ABI_MAJOR,
    .abi_minor = PYHOOKS_TARGET_ABI_MINOR,
    .plugin_count = 2,
    .plugins = plugins,
};

PYHOOKS_EXPORT pyhooks_status pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &library);
}

/* How often trampoline `index` (0: trampoline_a, 1: trampoline_b) entered
 * the interpreter since its plugin's init. */
TEST_EXPORT int64_t pyhooks_test_trampoline_calls(int index) {
  return calls[index];
}
