// plugins/profiler/plugin_entry.cc - the profiler's descriptor and the one
// exported symbol. pyhooks/plugin.hpp binds the callbacks to ProfilerPlugin's
// members and keeps every C++ exception inside the plugin.
#include <pyhooks/plugin.hpp>

#include "profiler.h"
#include "profiler_options.h"

namespace {

// The object behind the handle from init to shutdown.
class ProfilerPlugin {
 public:
  explicit ProfilerPlugin(pyhooks::host host)
      : profiler_(host.handle(), profiler::read_options(host)) {}

  pyhooks_status on_event(pyhooks_event event, const pyhooks_frame* frame) {
    return profiler_.on_event(event, frame);
  }
  void code_free(const void* code_key, void*, void*) {
    profiler_.forget_code(code_key);
  }
  void after_fork_child() { profiler_.after_fork_child(); }
  // Closes open activations, writes the outputs, prints the summary.
  void shutdown() { profiler_.finish(); }

 private:
  profiler::Profiler profiler_;
};

constexpr pyhooks_plugin_desc kProfilerDesc =
    pyhooks::describe<ProfilerPlugin>({
        .name = "profiler",
        .version = "0.1.0",
        .description = "deterministic function profiler: pstats, collapsed "
                       "stacks, SVG flamegraph and a summary at exit",
        .roles = PYHOOKS_ROLE_OBSERVER,
        .default_priority = PYHOOKS_PRIORITY_LOW,
        .capabilities = 0,  // one instance, main interpreter
        .events = PYHOOKS_EVENTS_ALL | PYHOOKS_EVENTS_C_CALLS,
        .code_data_size = 8,  // uint32 mark (see Profiler::kExcluded)
        .option_count = profiler::kOptionCount,
        .options = profiler::kOptionDescs,
    });

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
