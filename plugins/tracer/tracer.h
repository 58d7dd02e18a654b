// plugins/tracer/tracer.h - one active tracer: its options, the slice
// names, every thread's open activations, and the event entry point.
//
// Lives in the plugin handle's user_data from init to shutdown. Events come
// with the GIL held, so the hot path takes no lock: a START/RESUME pushes an
// open slice on the thread's stack, the matching exit pops it and appends a
// 32-byte record to the thread's chunk (stream mode) or to the ring. What
// is known per code object (its name id, whether it is filtered out, its
// suspended generator runs) sits in the code's inline data, behind a small
// direct-mapped cache; filtered code answers DISABLE once and costs nothing
// after. Timestamps are made strictly increasing per thread (+1 ns on a
// tie), so that the begin/end order of nested slices is never ambiguous.
// C calls (c_calls, 3.12+) are slices like Python calls, keyed by the C
// function (c_call_slices.cc); captured values (capture_args,
// capture_return) ride beside their records (capture.h, capture_values.cc).
#pragma once

#include <pyhooks/plugin.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture.h"
#include "encoder.h"
#include "event_clock.h"
#include "name_table.h"
#include "ring.h"
#include "task_source.h"
#include "trace_file.h"
#include "tracer_options.h"
#include "writer.h"

namespace tracer {

// A code object's inline data (code_data_size = 20).
struct CodeData {
  uint32_t value;      // 0 = not seen, kExcluded, or name id + 1
  uint32_t suspended;  // runs of this generator code now suspended
  uint32_t flow;       // the flow of the one suspended activation
  uint32_t ambiguous;  // several were suspended: resumes cannot be linked
  uint32_t coroutine;  // a coroutine's code, with async_tracks (else 0)
};

class Tracer {
 public:
  Tracer(pyhooks_plugin* self, TracerOptions options);
  ~Tracer();

  // Opens the file and starts the writer; "" or why not.
  std::string start();
  pyhooks_status on_event(pyhooks_event event, const pyhooks_frame* frame);
  // Shutdown: closes open slices, writes the rest, prints the summary.
  void finish();
  // In a forked child: a new file named by pid, a new writer thread.
  // False (after logging why) when this process cannot be traced.
  bool after_fork_child();
  void forget_code(const void* code_key);
  // async_tracks: where the running asyncio task comes from (before start).
  void set_task_source(std::unique_ptr<TaskSource> source) {
    task_source_ = std::move(source);
  }
  // fork_guard.h: around every fork() of the process, on the forking thread.
  void before_fork();
  void after_fork_parent();

 private:
  static constexpr uint32_t kExcluded = 0xFFFFFFFFu;
  static constexpr uint32_t kHidden = 1u << 31;  // OpenSlice: not recorded
  // OpenSlice: the run a task's step drove; its thread's lane returns to
  // the thread's own track when it ends (task_tracks.cc).
  static constexpr uint32_t kTaskRoot = 1u << 30;
  static constexpr uint32_t kOpenOnly = kHidden | kTaskRoot;

  struct OpenSlice {
    uint64_t begin_ns;
    const void* code;  // a C call's: the callable
    CodeData* data;
    uint32_t name;
    uint32_t flow;
    uint32_t flags;  // RecordFlags, kHidden
  };
  struct ThreadTrack {
    ThreadInfo info;
    std::vector<OpenSlice> stack;
    uint32_t visible = 0;  // open slices that are recorded
    uint64_t last_ns = 0;
    Chunk* chunk = nullptr;
    // The track its records go to now: its own ordinal, or the track of
    // the asyncio task whose run is open on it.
    uint32_t lane = 0;
    // threading names a new thread a few calls into it (Thread._bootstrap
    // runs before threading knows it): its first kNameTries events ask.
    uint32_t name_tries = 0;
    // capture_args / capture_return: one per open slice (same depth).
    std::vector<Capture> captures;
  };
  static constexpr uint32_t kNameTries = 64;
  struct CodeCacheEntry {
    const void* code;
    CodeData* data;
  };
  static constexpr size_t kCodeCacheSize = 1024;
  static size_t cache_slot(const void* code) {
    auto bits = reinterpret_cast<uintptr_t>(code);
    return ((bits >> 4) ^ (bits >> 14)) & (kCodeCacheSize - 1);
  }

  CodeData* lookup_code(struct _object* code);
  uint32_t classify(struct _object* code, CodeData* data);
  uint32_t next_ordinal() { return ++ordinals_; }
  // task_tracks.cc: a coroutine run begins outside any task run of the
  // thread: kTaskRoot (and the thread's lane moved) if a task drives it.
  uint32_t enter_task(ThreadTrack* thread);
  // trace_merge.cc (merge = true): the children's traces into this one.
  void merge_children();
  std::string merge_summary() const;  // "; N child traces merged ..."
  ThreadTrack* switch_thread(uint64_t ident);
  // True once threading's name of the thread is known (or never will be).
  bool try_name(ThreadTrack* thread);
  bool lookup_name(ThreadTrack* thread);  // asks the host once
  // Once more for a thread still unnamed (before its chunk goes out).
  void name_late(ThreadTrack* thread);
  void count_event_after_fork(uint64_t ident);
  // The hot path, inlined into on_event (defined in tracer.cc, used only
  // there): a START/RESUME opens a slice, an exit closes it, a record goes
  // into the thread's chunk.
  inline void enter(ThreadTrack* thread, uint64_t now, pyhooks_event event,
                    const pyhooks_frame* frame, CodeData* data);
  inline void close_slice(ThreadTrack* thread, uint64_t now,
                          pyhooks_event event, const pyhooks_frame* frame);
  // The record of a slice closed at `now`; false when it is not written
  // (hidden by max_depth, shorter than min_duration_us).
  inline bool slice_record(ThreadTrack* thread, uint64_t now,
                           pyhooks_event event, const pyhooks_frame* frame,
                           const OpenSlice& open, uint32_t track,
                           Record* record);
  inline void emit(ThreadTrack* thread, const Record& record,
                   Capture* capture = nullptr);
  // Out of line: what few events need.
  void open_generator_run(ThreadTrack* thread, pyhooks_event event,
                          CodeData* data, OpenSlice* open);
  void capture_at_enter(ThreadTrack* thread, pyhooks_event event,
                        const pyhooks_frame* frame, OpenSlice* open);
  void close_captured(ThreadTrack* thread, uint64_t now, pyhooks_event event,
                      const pyhooks_frame* frame, const OpenSlice& open,
                      uint32_t track);
  void emit_slow(ThreadTrack* thread, const Record& record, Capture* capture);
  void submit_full(ThreadTrack* thread);  // its chunk is full: to the writer
  // close_slice for the other files (c_call_slices.cc).
  void leave(ThreadTrack* thread, uint64_t now, pyhooks_event event,
             const pyhooks_frame* frame);
  // c_call_slices.cc: C_CALL / C_RETURN / C_RAISE (c_calls on).
  pyhooks_status on_c_event(ThreadTrack* thread, uint64_t now,
                            pyhooks_event event, const pyhooks_frame* frame);
  uint32_t c_function_id(const pyhooks_frame* frame);  // kExcluded: unnamed
  // capture_values.cc: the parameters' reprs (START), the exit value's.
  void capture_args(const pyhooks_frame* frame, Capture* capture);
  void capture_exit(pyhooks_event event, const pyhooks_frame* frame,
                    Capture* capture);
  // RecordFlags bits naming the type of the exception of an UNWIND.
  uint32_t exception_of(const pyhooks_frame* frame);
  std::string open_output();
  void print_summary(const std::string& problem);

  pyhooks_plugin* self_;
  const pyhooks_host_api* api_;
  TracerOptions options_;
  bool capturing_;  // capture_args or capture_return
  EventClock clock_;
  std::unordered_map<const void*, uint32_t> c_names_;  // PyMethodDef -> id
  struct CNameCacheEntry {
    const void* key;  // a PyMethodDef (c_function_name's key)
    uint32_t id;
  };
  static constexpr size_t kCNameCacheSize = 256;
  static size_t c_name_slot(const void* key) {
    auto bits = reinterpret_cast<uintptr_t>(key);
    return ((bits >> 4) ^ (bits >> 12)) & (kCNameCacheSize - 1);
  }
  std::array<CNameCacheEntry, kCNameCacheSize> c_name_cache_{};
  NameTable names_;
  ProcessInfo process_;
  TraceFile file_;
  std::unique_ptr<Ring> ring_;
  std::unique_ptr<Writer> writer_;
  std::array<CodeCacheEntry, kCodeCacheSize> code_cache_{};
  std::vector<std::unique_ptr<ThreadTrack>> threads_;
  std::unordered_map<uint64_t, ThreadTrack*> by_ident_;
  // The thread of the last event; 0 sends every event through
  // switch_thread (after a fork, until the writer runs again). Written by
  // the fork handler too, hence atomic (relaxed: a plain load on x86).
  std::atomic<uint64_t> current_ident_{0};
  // Events of the forking thread seen since a fork while the writer waits:
  // at kEventsBeforeResume it starts again (well past what the
  // after_in_parent hooks run before 3.13 counts the threads).
  static constexpr uint32_t kEventsBeforeResume = 512;
  // Atomic (relaxed) because a fork that does not hold the GIL (a C
  // library's) runs the handlers beside the event path.
  std::atomic<bool> resume_pending_{false};
  std::atomic<uint64_t> fork_ident_{0};
  std::atomic<uint32_t> events_since_fork_{0};
  ThreadTrack* current_ = nullptr;
  uint64_t main_ident_;
  uint32_t next_flow_ = 0;
  std::unordered_map<std::string, uint32_t> exception_names_;  // -> id
  uint64_t short_slices_ = 0;  // left out by min_duration_us
  uint64_t unmatched_ = 0;
  bool forked_child_ = false;
  std::string path_;
  uint32_t ordinals_ = 0;  // track ordinals given out (threads and tasks)
  std::unique_ptr<TaskSource> task_source_;  // null unless async_tracks
  std::vector<uint32_t> task_lanes_;         // by task number: ordinal
  // merge = true, in the program's process: the children's traces are
  // merged into this one at exit (trace_merge.h).
  bool merging_ = false;
  std::string merge_into_;  // the program's trace, in it and its children
  int64_t start_realtime_ns_ = 0;
  uint32_t merged_ = 0, merged_incomplete_ = 0;
  std::vector<std::string> merge_problems_;
};

}  // namespace tracer
