// plugins/jit/plugin_entry.cc - the jit descriptor and the entry point.
//
// One library holds a decoder per CPython minor it was built for; the
// entry accepts the running interpreter only if its minor is one of them
// (the descriptor's build_tag names the minors), and declines politely
// otherwise. No Python call, no allocation here.
#include <pyhooks/plugin.hpp>

#include "jit_plugin.h"

#if PYHOOKS_TARGET_ABI_MINOR < 1
#error \
    "the jit needs plugin ABI 1.1 (frame_builtins, perf_map_write, on_chain_changed)"
#endif

namespace {

void chain_changed(pyhooks_plugin* self, uint32_t generation) noexcept {
  if (auto* jit = pyhooks::user_data<jit::JitPlugin>(self)) {
    jit->on_chain_changed(generation);
  }
}

constexpr pyhooks_plugin_desc with_chain_callback(pyhooks_plugin_desc desc) {
  desc.on_chain_changed = &chain_changed;
  return desc;
}

// 3.11: an evaluator offered every fresh frame through the eval-frame hook.
constexpr pyhooks_plugin_desc kJitThroughHook =
    with_chain_callback(pyhooks::describe<jit::JitPlugin>({
        .name = "jit",
        .version = "0.1.0",
        .description = "compiles numeric Python functions to native code "
                       "with LLVM (build for " PYHOOKS_JIT_MINORS ")",
        .roles = PYHOOKS_ROLE_EVALUATOR,
        // The innermost link: evaluators that wrap frames (native_names,
        // debuggers) see every frame before the jit runs it.
        .default_priority = PYHOOKS_PRIORITY_MIN,
        .option_count = sizeof(jit::JitPlugin::kOptions) /
                        sizeof(jit::JitPlugin::kOptions[0]),
        .options = jit::JitPlugin::kOptions,
    }));
// 3.12+: an entry evaluator (no hook for it, HOST-28) that counts calls as
// a START observer and runs compiled code through function entries
// (routes.cc).
constexpr pyhooks_plugin_desc kJitThroughEntries =
    with_chain_callback(pyhooks::describe<jit::JitPlugin>({
        .name = "jit",
        .version = "0.1.0",
        .description = "compiles numeric Python functions to native code "
                       "with LLVM (build for " PYHOOKS_JIT_MINORS ")",
        .roles = PYHOOKS_ROLE_OBSERVER | PYHOOKS_ROLE_EVALUATOR,
        .default_priority = PYHOOKS_PRIORITY_MIN,
        .capabilities = PYHOOKS_CAP_ENTRY_EVALUATOR,
        .events = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START),
        .option_count = sizeof(jit::JitPlugin::kOptions) /
                        sizeof(jit::JitPlugin::kOptions[0]),
        .options = jit::JitPlugin::kOptions,
    }));
const pyhooks_plugin_desc* const kHookPlugins[] = {&kJitThroughHook};
const pyhooks_plugin_desc* const kEntryPlugins[] = {&kJitThroughEntries};
const pyhooks_library_desc kHookLibrary = {
    sizeof(pyhooks_library_desc), PYHOOKS_ABI_MAJOR, PYHOOKS_TARGET_ABI_MINOR,
    1, kHookPlugins};
const pyhooks_library_desc kEntryLibrary = {
    sizeof(pyhooks_library_desc), PYHOOKS_ABI_MAJOR, PYHOOKS_TARGET_ABI_MINOR,
    1, kEntryPlugins};

bool built_for(uint32_t version_hex) {
  unsigned minor = (version_hex >> 16) & 0xff;
  switch (minor) {
#ifdef PYHOOKS_JIT_HAS_311
    case 11:
      return true;
#endif
#ifdef PYHOOKS_JIT_HAS_312
    case 12:
      return true;
#endif
#ifdef PYHOOKS_JIT_HAS_313
    case 13:
      return true;
#endif
    default:
      return false;
  }
}

}  // namespace

extern "C" PYHOOKS_EXPORT pyhooks_status
pyhooks_plugin_entry(pyhooks_negotiation* n) {
  if (n->python_version_hex != 0 && !built_for(n->python_version_hex)) {
    n->decline_reason =
        "this jit build has no bytecode decoder for this CPython minor "
        "(built for " PYHOOKS_JIT_MINORS
        "); rebuild pyhooks with this "
        "interpreter in PYHOOKS_PYTHONS";
    return PYHOOKS_DECLINED;
  }
  unsigned minor = (n->python_version_hex >> 16) & 0xff;
  return pyhooks_accept(n, minor >= 12 ? &kEntryLibrary : &kHookLibrary);
}
