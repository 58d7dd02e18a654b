// plugins/profiler/plugin_entry.cc - the profiler's descriptor and its C
// callbacks: the one exported symbol, and the glue from the plugin ABI to
// the Profiler object (no C++ exception ever crosses into the host).
#include <pyhooks/plugin.h>

#include <exception>
#include <new>
#include <string>

#include "profiler.h"
#include "profiler_options.h"

namespace {

using profiler::Profiler;

Profiler* of(pyhooks_plugin* self) {
  return static_cast<Profiler*>(self->user_data);
}

void log_exception(pyhooks_plugin* self, const char* where) {
  std::string message = std::string("internal error in ") + where;
  try {
    throw;
  } catch (const std::bad_alloc&) {
    message += ": out of memory";
  } catch (const std::exception& error) {
    message += std::string(": ") + error.what();
  } catch (...) {
  }
  self->api->log(self, PYHOOKS_LOG_ERROR, message.c_str());
}

pyhooks_status profiler_init(pyhooks_plugin* self) {
  try {
    profiler::ProfilerOptions options;
    if (profiler::read_options(self, &options) != PYHOOKS_OK) {
      return PYHOOKS_ERROR;
    }
    self->user_data = new Profiler(self, std::move(options));
    return PYHOOKS_OK;
  } catch (...) {
    log_exception(self, "init");
    return PYHOOKS_ERROR;
  }
}

void profiler_shutdown(pyhooks_plugin* self) {
  Profiler* profiler = of(self);
  if (profiler == nullptr) return;
  try {
    profiler->finish();
  } catch (...) {
    log_exception(self, "shutdown (the profile was not written)");
  }
  delete profiler;
  self->user_data = nullptr;
}

pyhooks_status profiler_event(pyhooks_plugin* self, pyhooks_event event,
                              const pyhooks_frame* frame) {
  Profiler* profiler = of(self);
  if (profiler == nullptr) return PYHOOKS_OK;
  try {
    return profiler->on_event(event, frame);
  } catch (...) {
    log_exception(self, "on_event");
    return PYHOOKS_ERROR;
  }
}

void profiler_code_free(pyhooks_plugin* self, const void* code_key, void*,
                        void*) {
  if (Profiler* profiler = of(self)) profiler->forget_code(code_key);
}

void profiler_after_fork_child(pyhooks_plugin* self) {
  Profiler* profiler = of(self);
  if (profiler == nullptr) return;
  try {
    profiler->after_fork_child();
  } catch (...) {
    log_exception(self, "after_fork_child");
  }
}

const pyhooks_plugin_desc kProfilerDesc = {
    sizeof(pyhooks_plugin_desc),
    "profiler",
    "0.1.0",
    "deterministic function profiler: pstats, collapsed stacks, SVG "
    "flamegraph and a summary at exit",
    PYHOOKS_ROLE_OBSERVER,
    PYHOOKS_PRIORITY_LOW,
    0,  // no capabilities: one instance, main interpreter
    PYHOOKS_EVENTS_ALL,
    nullptr,
    8,  // inline per-code data: uint32 mark (see Profiler::kExcluded)
    profiler::kOptionCount,
    profiler::kOptionDescs,
    profiler_init,
    profiler_shutdown,
    profiler_event,
    nullptr,  // evaluate
    profiler_code_free,
    profiler_after_fork_child,
    nullptr,  // on_chain_changed (ABI 1.1)
};

const pyhooks_plugin_desc* const kPlugins[] = {&kProfilerDesc};

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
