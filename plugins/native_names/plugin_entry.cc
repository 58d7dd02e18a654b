// plugins/native_names/plugin_entry.cc - the native_names descriptor, its
// options and the C callbacks (no C++ exception ever crosses into the host).
#include <pyhooks/plugin.h>

#include <exception>
#include <new>
#include <string>

#include "cpython_trampoline.h"
#include "native_names.h"

#if PYHOOKS_TARGET_ABI_MINOR < 2
#error "native_names needs plugin ABI 1.2 (interpreter trampolines)"
#endif

namespace {

using native_names::NameFilter;
using native_names::NativeNames;

const pyhooks_option_desc kOptions[] = {
    {"include", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "qualname or filename globs: name only matching functions"},
    {"exclude", PYHOOKS_OPTION_STRING_LIST, nullptr,
     "qualname or filename globs: never name matching functions"},
};

NativeNames* of(pyhooks_plugin* self) {
  return static_cast<NativeNames*>(self->user_data);
}

pyhooks_status fail(pyhooks_plugin* self, const std::string& message) {
  self->api->log(self, PYHOOKS_LOG_ERROR, message.c_str());
  return PYHOOKS_ERROR;
}

pyhooks_status read_patterns(pyhooks_plugin* self, const char* name,
                             bool include, NameFilter* filter) {
  uint32_t count = 0;
  pyhooks_status status = self->api->option_list_count(self, name, &count);
  if (status == PYHOOKS_E_NOT_FOUND) return PYHOOKS_OK;
  if (status != PYHOOKS_OK) {
    return fail(self, std::string("option '") + name +
                          "' must be a list of glob strings");
  }
  for (uint32_t i = 0; i < count; ++i) {
    const char* item = nullptr;
    if (self->api->option_list_item(self, name, i, &item) != PYHOOKS_OK) {
      return fail(self, std::string("cannot read item ") + std::to_string(i) +
                            " of option '" + name + "'");
    }
    std::string problem = filter->add(item ? item : "", include);
    if (!problem.empty()) return fail(self, "option " + problem);
  }
  return PYHOOKS_OK;
}

pyhooks_status native_names_init(pyhooks_plugin* self) {
  if (!native_names::arena_supported()) {
    std::string why = std::string("no trampoline for ") +
                      native_names::machine_name() +
                      " (x86-64 only); native_names stays inactive";
    self->api->log(self, PYHOOKS_LOG_WARNING, why.c_str());
    return PYHOOKS_DECLINED;
  }
  if (native_names::cpython_trampoline_active()) {
    // Info, not a warning: the functions are named all the same, and the
    // program's stderr stays plain python's (in -X perf children too).
    self->api->log(self, PYHOOKS_LOG_INFO,
                   "CPython's own perf trampoline is active (-X perf or "
                   "PYTHONPERFSUPPORT=1) and already names Python functions "
                   "in the perf map; native_names stays inactive");
    return PYHOOKS_DECLINED;
  }
  try {
    NameFilter filter;
    if (read_patterns(self, "include", true, &filter) != PYHOOKS_OK ||
        read_patterns(self, "exclude", false, &filter) != PYHOOKS_OK) {
      return PYHOOKS_ERROR;
    }
    auto* plugin = new NativeNames(self, std::move(filter));
    std::string problem = plugin->prepare();
    if (!problem.empty()) {
      delete plugin;
      return fail(self, problem);
    }
    self->user_data = plugin;
    return PYHOOKS_OK;
  } catch (const std::bad_alloc&) {
    return fail(self, "out of memory at start-up");
  }
}

void native_names_shutdown(pyhooks_plugin* self) {
  // The trampolines themselves stay mapped for the process (a stub may still
  // be on the stack of a frame that outlives the plugin); the code_free calls
  // that follow find no plugin and have nothing to recycle.
  NativeNames* plugin = of(self);
  if (plugin == nullptr) return;
  try {
    self->api->log(self, PYHOOKS_LOG_INFO, plugin->summary().c_str());
  } catch (...) {
  }
  delete plugin;
  self->user_data = nullptr;
}

pyhooks_status native_names_evaluate(pyhooks_plugin* self, pyhooks_frame* frame,
                                     struct _object**) {
  NativeNames* plugin = of(self);
  return plugin != nullptr ? plugin->evaluate(frame) : PYHOOKS_DECLINED;
}

void native_names_code_free(pyhooks_plugin* self, const void*, void*,
                            void* data) {
  if (NativeNames* plugin = of(self)) {
    try {
      plugin->forget(static_cast<NativeNames::CodeData*>(data));
    } catch (...) {
      // The free list could not grow: the stub is simply not reused.
    }
  }
}

const pyhooks_plugin_desc kNativeNamesDesc = {
    sizeof(pyhooks_plugin_desc), "native_names", "0.1.0",
    "names Python functions for native profilers (perf): one trampoline per "
    "function, listed in /tmp/perf-PID.map",
    PYHOOKS_ROLE_EVALUATOR,
    // Below the normal band, above the JIT (priority 0): every frame gets
    // its trampoline before the JIT runs it (docs/native-names.md).
    PYHOOKS_PRIORITY_LOW - 50,
    // One instance, main interpreter; the stub is each code object's
    // interpreter trampoline.
    PYHOOKS_CAP_INTERPRETER_TRAMPOLINE,
    0,  // no observer events
    nullptr,
    sizeof(NativeNames::CodeData),  // per code object: its trampoline
    sizeof(kOptions) / sizeof(kOptions[0]), kOptions, native_names_init,
    native_names_shutdown,
    nullptr,  // on_event
    native_names_evaluate, native_names_code_free,
    nullptr,  // after_fork_child: the host gives the child its own map
    nullptr,  // on_chain_changed: nothing it caches depends on the chain
};

const pyhooks_plugin_desc* const kPlugins[] = {&kNativeNamesDesc};

const pyhooks_library_desc kLibrary = {
    sizeof(pyhooks_library_desc),
    PYHOOKS_ABI_MAJOR,
    PYHOOKS_TARGET_ABI_MINOR,
    1,
    kPlugins,
};

}  // namespace

extern "C" PYHOOKS_EXPORT pyhooks_status
pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &kLibrary);
}
