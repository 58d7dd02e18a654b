// plugins/tracer/plugin_entry.cc - the tracer's descriptor and its C
// callbacks: the one exported symbol, and the glue from the plugin ABI to
// the Tracer object (no C++ exception ever crosses into the host).
#include <pyhooks/plugin.h>

#include <exception>
#include <new>
#include <string>

#include "tracer.h"
#include "tracer_options.h"

namespace {

using tracer::Tracer;

Tracer* of(pyhooks_plugin* self) {
  return static_cast<Tracer*>(self->user_data);
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

pyhooks_status tracer_init(pyhooks_plugin* self) {
  try {
    tracer::TracerOptions options;
    if (tracer::read_options(self, &options) != PYHOOKS_OK) {
      return PYHOOKS_ERROR;
    }
    bool async_tracks = options.async_tracks;
    auto* instance = new Tracer(self, std::move(options));
    if (async_tracks)
      instance->set_task_source(tracer::make_asyncio_task_source());
    std::string error = instance->start();
    if (!error.empty()) {
      delete instance;
      self->api->log(self, PYHOOKS_LOG_ERROR, error.c_str());
      return PYHOOKS_ERROR;
    }
    self->user_data = instance;
    return PYHOOKS_OK;
  } catch (...) {
    log_exception(self, "init");
    return PYHOOKS_ERROR;
  }
}

void tracer_shutdown(pyhooks_plugin* self) {
  Tracer* instance = of(self);
  if (instance == nullptr) return;
  try {
    instance->finish();
  } catch (...) {
    log_exception(self, "shutdown (the trace may be incomplete)");
  }
  delete instance;
  self->user_data = nullptr;
}

pyhooks_status tracer_event(pyhooks_plugin* self, pyhooks_event event,
                            const pyhooks_frame* frame) {
  Tracer* instance = of(self);
  if (instance == nullptr) return PYHOOKS_OK;
  try {
    return instance->on_event(event, frame);
  } catch (...) {
    log_exception(self, "on_event");
    return PYHOOKS_ERROR;
  }
}

void tracer_code_free(pyhooks_plugin* self, const void* code_key, void*,
                      void*) {
  if (Tracer* instance = of(self)) instance->forget_code(code_key);
}

void tracer_after_fork_child(pyhooks_plugin* self) {
  Tracer* instance = of(self);
  if (instance == nullptr) return;
  bool traced = false;
  try {
    traced = instance->after_fork_child();
  } catch (...) {
    log_exception(self, "after_fork_child");
  }
  if (!traced) {
    // Stay inactive in this process rather than fill chunks no one writes.
    delete instance;
    self->user_data = nullptr;
  }
}

const pyhooks_plugin_desc kTracerDesc = {
    sizeof(pyhooks_plugin_desc),
    "tracer",
    "0.1.0",
    "timeline of every Python call: Perfetto trace (default) or Chrome "
    "JSON, streamed to disk",
    PYHOOKS_ROLE_OBSERVER,
    PYHOOKS_PRIORITY_LOW,
    0,  // no capabilities: one instance, main interpreter
    PYHOOKS_EVENTS_ALL,
    nullptr,
    sizeof(tracer::CodeData),
    tracer::kOptionCount,
    tracer::kOptionDescs,
    tracer_init,
    tracer_shutdown,
    tracer_event,
    nullptr,  // evaluate
    tracer_code_free,
    tracer_after_fork_child,
    nullptr,  // on_chain_changed
};

const pyhooks_plugin_desc* const kPlugins[] = {&kTracerDesc};

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
