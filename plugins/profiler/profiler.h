// plugins/profiler/profiler.h - one active profiler: its options, the
// function registry, every thread's measurements, and the event entry point.
//
// Lives in the plugin handle's user_data from init to shutdown. Every
// callback runs with the GIL held, so nothing here takes a lock. Threads are
// told apart by a serial number kept in thread-local storage, not by their
// ident: CPython reuses the ident of a thread that ended for the next one,
// and each of them is a thread of its own in the profile. The thread that
// ran the last event is remembered, so the ThreadProfile lookup happens only
// when the running thread changes.
#pragma once

#include <pyhooks/plugin.h>

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "profiler_options.h"
#include "support_names.h"
#include "thread_profile.h"

namespace profiler {

struct MergedProfile;
struct SummaryFacts;

class Profiler {
 public:
  Profiler(pyhooks_plugin* self, ProfilerOptions options);

  // Inline (below) so that the common case - the running thread, a cached
  // code object, a known call path, a TSC clock; every exit of the
  // innermost activation, C_RETURN and C_RAISE included - is a leaf inside
  // the plugin's callback, without a call or saved registers; anything
  // else (C_CALL among it) goes to on_event_general().
  pyhooks_status on_event(pyhooks_event event, const pyhooks_frame* frame);
  // Shutdown: closes open activations, writes the outputs, prints the
  // summary.
  void finish();
  // In a forked child: keep only this thread, forget every measurement, and
  // write to names with ".pid<PID>" at exit (as every child does).
  void after_fork_child();
  // The host's code_free: `code_key` is dying (or the plugin is shutting
  // down).
  void forget_code(const void* code_key);

 private:
  // What a code object's inline data holds: 0 = not seen yet, kExcluded, or
  // fid + 1.
  static constexpr uint32_t kExcluded = 0xFFFFFFFFu;

  // A direct-mapped cache of code object -> inline data value in front of
  // the host's code_data call. An entry is dropped in forget_code() (the
  // host's code_free, called when a code object this plugin touched dies),
  // so an address reused by a new code object never hits a stale entry.
  struct CodeCacheEntry {
    const void* code;
    uint32_t value;
  };
  static constexpr size_t kCodeCacheSize = 1024;
  static size_t cache_slot(const void* code) {
    auto bits = reinterpret_cast<uintptr_t>(code);
    return ((bits >> 4) ^ (bits >> 14)) & (kCodeCacheSize - 1);
  }
  uint32_t lookup_code(struct _object* code);

  // Every event, every case (the slow path of on_event()). noexcept (it
  // reports an exception itself), so that on_event() reaches it by a jump
  // and its fast path needs no saved registers.
  __attribute__((noinline)) pyhooks_status on_event_general(
      pyhooks_event event, const pyhooks_frame* frame) noexcept;
  pyhooks_status on_any_event(pyhooks_event event, const pyhooks_frame* frame);
  // C_CALL, C_RETURN, C_RAISE (builtins on).
  pyhooks_status on_c_event(pyhooks_event event, const pyhooks_frame* frame);
  // The profile of the thread running this event: the last one's unless
  // the thread changed.
  ThreadProfile* running_thread(const pyhooks_frame* frame);
  // The fid of the C function a C-call event names, kNoFunction if the host
  // cannot name it.
  uint32_t builtin_fid(const pyhooks_frame* frame);
  ThreadProfile* switch_thread(uint64_t serial, uint64_t ident);
  ThreadProfile* calling_thread_or_null() const;
  uint32_t classify(struct _object* code, uint32_t* mark);
  std::vector<std::string> thread_names() const;
  void write_outputs(SummaryFacts* facts, const MergedProfile& merged,
                     double ns_per_tick);

  pyhooks_plugin* self_;
  const pyhooks_host_api* api_;
  ProfilerOptions options_;
  FunctionRegistry functions_;
  Clock clock_;
  uint64_t overhead_ticks_;
  uint32_t max_paths_;
  uint64_t main_serial_;  // the thread that ran init
  uint64_t start_ns_;     // CLOCK_MONOTONIC at init, for the elapsed time
  std::array<CodeCacheEntry, kCodeCacheSize> code_cache_{};
  std::vector<std::unique_ptr<ThreadProfile>> threads_;
  std::unordered_map<uint64_t, ThreadProfile*> by_serial_;
  // C function (the host's key, its PyMethodDef) -> fid.
  FlatMap builtin_fids_;
  // Matches no thread's serial, not even 0 (a thread not numbered yet).
  static constexpr uint64_t kNoThread = ~uint64_t{0};
  uint64_t current_serial_ = kNoThread;  // the thread of the last event...
  ThreadProfile* current_ = nullptr;     // ...and its profile
  bool child_process_;                   // not the program pyhooks run started
  bool forked_child_ = false;
};

// This thread's serial number (see profiler.cc): 0 until it has one. The
// initial-exec model makes reading it one instruction; __thread, unlike an
// extern thread_local, has no initialisation check on every read.
extern __thread __attribute__((tls_model("initial-exec"))) uint64_t tls_serial;

inline pyhooks_status Profiler::on_event(pyhooks_event event,
                                         const pyhooks_frame* frame) {
  uint64_t now;
  if (tls_serial == current_serial_ && clock_.read_tsc(&now)) {
    if (event <= PYHOOKS_EVENT_RESUME) {
      const CodeCacheEntry& cached = code_cache_[cache_slot(frame->code)];
      if (cached.code == frame->code && cached.value != kExcluded &&
          current_->try_enter(now, cached.value - 1, frame->code,
                              event == PYHOOKS_EVENT_START)) {
        return PYHOOKS_OK;
      }
    } else if (event != PYHOOKS_EVENT_C_CALL) {
      // A C function's activation is keyed by its callable. With builtins
      // off none is open, so a C_RETURN never matches here.
      const void* key =
          event <= PYHOOKS_EVENT_UNWIND ? frame->code : frame->callable;
      if (current_->try_exit(now, key)) return PYHOOKS_OK;
    }
  }
  return on_event_general(event, frame);
}

}  // namespace profiler
