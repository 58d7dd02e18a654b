// plugins/tracer/tracer.cc - the event path (the hot path), thread
// attachment, the output file, fork handling and the shutdown sequence.
#include "tracer.h"

#include <errno.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "fork_guard.h"
#include "support/process_identity.h"
#include "term_signal.h"
#include "trace_merge.h"

// Inlined wherever tracer.cc calls it (the event path).
#define PYHOOKS_TRACER_HOT inline __attribute__((always_inline))

namespace tracer {

namespace {

std::string command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  while (!raw.empty() && raw.back() == '\0') raw.pop_back();
  for (char& c : raw) {
    if (c == '\0') c = ' ';
  }
  if (raw.size() > 200) raw = raw.substr(0, 197) + "...";
  return raw.empty() ? std::string("python") : raw;
}

std::string with_pid(const std::string& path, long pid) {
  std::string suffix = ".pid" + std::to_string(pid);
  size_t slash = path.rfind('/');
  size_t base = slash == std::string::npos ? 0 : slash + 1;
  for (const char* ext : {".perfetto-trace", ".pftrace", ".json.gz", ".json"}) {
    std::string e(ext);
    if (path.size() >= base + e.size() + 1 &&
        path.compare(path.size() - e.size(), e.size(), e) == 0) {
      return path.substr(0, path.size() - e.size()) + suffix + e;
    }
  }
  return path + suffix;
}

bool is_regular_or_missing(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode);
}

std::string shown(const std::string& path, const std::string& start_dir) {
  if (!start_dir.empty() && path.size() > start_dir.size() + 1 &&
      path.compare(0, start_dir.size(), start_dir) == 0 &&
      path[start_dir.size()] == '/') {
    return path.substr(start_dir.size() + 1);
  }
  return path;
}

std::string human_size(int64_t bytes) {
  char text[32];
  if (bytes < 0) return "size unknown";
  if (bytes < 10 * 1024) {
    std::snprintf(text, sizeof(text), "%lld bytes",
                  static_cast<long long>(bytes));
  } else if (bytes < 10 * 1024 * 1024) {
    std::snprintf(text, sizeof(text), "%.1f KiB", bytes / 1024.0);
  } else {
    std::snprintf(text, sizeof(text), "%.1f MiB", bytes / 1048576.0);
  }
  return text;
}

}  // namespace

Tracer::Tracer(pyhooks_plugin* self, TracerOptions options)
    : self_(self),
      api_(self->api),
      options_(std::move(options)),
      capturing_(options_.capture_args || options_.capture_return),
      main_ident_(static_cast<uint64_t>(pthread_self())) {
  process_.pid = static_cast<int64_t>(getpid());
  process_.name = command_line();
  process_.start_ns = clock_.now_ns();
  if (options_.mode == Mode::kRing) {
    ring_ = std::make_unique<Ring>(options_.buffer_size);
  }
}

Tracer::~Tracer() { clear_fork_guard(this); }

std::string Tracer::open_output() {
  bool gzip = options_.gzip;
  // A child (forked, or a new interpreter that inherited the plugins) never
  // writes the program's file.
  bool child = forked_child_ || !pyhooks::support::is_program_process();
  if (child && merge_into_.empty()) {
    const char* into = std::getenv(kMergeIntoVariable);
    if (into != nullptr && into[0] == '/') merge_into_ = into;
  }
  if (child && !merge_into_.empty()) {
    // The program merges its children's traces: they go beside its own.
    path_ = with_pid(merge_into_, getpid());
    std::string error = file_.create(path_, gzip, false, nullptr);
    return error.empty() ? ""
                         : "cannot write the trace " + path_ + ": " + error;
  }
  if (options_.output_given) {
    // A child gets its own file, unless the output is no regular file
    // (/dev/null, a pipe), which every process can share.
    path_ = child && is_regular_or_missing(options_.output)
                ? with_pid(options_.output, getpid())
                : options_.output;
    std::string error = file_.create(path_, gzip, false, nullptr);
    return error.empty() ? ""
                         : "cannot write the trace " + path_ + ": " + error;
  }
  std::string dir = options_.start_dir.empty() ? "" : options_.start_dir + "/";
  std::string pid = child ? ".pid" + std::to_string(getpid()) : "";
  for (int n = 0; n < 1000; ++n) {
    std::string stem = "pyhooks-trace" + (n ? "." + std::to_string(n) : "");
    path_ = dir + stem + pid + default_extension(options_);
    int error_number = 0;
    std::string error = file_.create(path_, false, true, &error_number);
    if (error.empty()) return "";
    if (error_number != EEXIST) {
      return "cannot write the trace " + path_ + ": " + error;
    }
  }
  return "cannot find a free name pyhooks-trace.N" +
         std::string(default_extension(options_)) + " in " + dir +
         "; give option output";
}

std::string Tracer::start() {
  std::string error = open_output();
  if (!error.empty()) return error;
  if (options_.merge && !forked_child_ &&
      pyhooks::support::is_program_process()) {
    // Children find the program's trace in the environment (the C one:
    // os.environ stays as under python; subprocess and multiprocessing
    // pass it on unless given an env of their own).
    merging_ = true;
    merge_into_ = path_;
    start_realtime_ns_ = realtime_ns();
    ::setenv(kMergeIntoVariable, path_.c_str(), 1);
  }
  writer_ = std::make_unique<Writer>(make_encoder(options_.format, &names_),
                                     &file_, process_, ring_.get());
  std::string started = writer_->start();
  if (started.empty() && !set_fork_guard(this)) {
    api_->log(self_, PYHOOKS_LOG_WARNING,
              "cannot register fork handlers: os.fork() will see the "
              "writer thread");
  }
  return started;
}

void Tracer::before_fork() {
  if (writer_ == nullptr) return;
  fork_ident_.store(static_cast<uint64_t>(pthread_self()),
                    std::memory_order_relaxed);
  writer_->pause();
}

void Tracer::after_fork_parent() {
  if (writer_ == nullptr || !writer_->paused()) return;
  events_since_fork_.store(0, std::memory_order_relaxed);
  resume_pending_.store(true, std::memory_order_relaxed);
  current_ident_.store(0, std::memory_order_relaxed);
}

void Tracer::count_event_after_fork(uint64_t ident) {
  // Another thread running means the fork saw it anyway; the forking
  // thread's events may still be CPython's after_in_parent hooks.
  if (ident == fork_ident_.load(std::memory_order_relaxed) &&
      events_since_fork_.fetch_add(1, std::memory_order_relaxed) + 1 <
          kEventsBeforeResume) {
    return;
  }
  resume_pending_.store(false, std::memory_order_relaxed);
  writer_->resume();
}

pyhooks_status Tracer::on_event(pyhooks_event event,
                                const pyhooks_frame* frame) {
  uint64_t now = clock_.now_ns();
  ThreadTrack* thread =
      frame->thread_id == current_ident_.load(std::memory_order_relaxed)
          ? current_
          : switch_thread(frame->thread_id);
  if (event >= PYHOOKS_EVENT_C_CALL) {
    return on_c_event(thread, now, event, frame);
  }
  if (event == PYHOOKS_EVENT_START || event == PYHOOKS_EVENT_RESUME) {
    CodeCacheEntry& cached = code_cache_[cache_slot(frame->code)];
    CodeData* data;
    if (cached.code == frame->code) {
      data = cached.data;
    } else {
      data = lookup_code(frame->code);
      if (data == nullptr) return PYHOOKS_OK;  // out of memory: not traced
      cached = CodeCacheEntry{frame->code, data};
      now = clock_.now_ns();  // not charging the look-up
    }
    if (data->value == kExcluded) return PYHOOKS_DISABLE;
    if (now <= thread->last_ns) now = thread->last_ns + 1;
    thread->last_ns = now;
    enter(thread, now, event, frame, data);
    return PYHOOKS_OK;
  }
  if (now <= thread->last_ns) now = thread->last_ns + 1;
  thread->last_ns = now;
  close_slice(thread, now, event, frame);
  return PYHOOKS_OK;
}

// The hot path (enter, close_slice, emit) is inlined into on_event, with
// what most events never need (generator flows, captures, a full chunk)
// out of line: one function prologue per event, few registers saved.
PYHOOKS_TRACER_HOT void Tracer::enter(ThreadTrack* thread, uint64_t now,
                                      pyhooks_event event,
                                      const pyhooks_frame* frame,
                                      CodeData* data) {
  OpenSlice open{now, frame->code, data, data->value - 1, 0, 0};
  if (frame->flags & PYHOOKS_FRAME_GENERATOR) {
    open_generator_run(thread, event, data, &open);
  }
  if (options_.max_depth != 0 && thread->visible >= options_.max_depth) {
    open.flags |= kHidden;
  } else {
    ++thread->visible;
  }
  if (capturing_) capture_at_enter(thread, event, frame, &open);
  thread->stack.push_back(open);
}

void Tracer::open_generator_run(ThreadTrack* thread, pyhooks_event event,
                                CodeData* data, OpenSlice* open) {
  if (event == PYHOOKS_EVENT_START) {
    open->flow = ++next_flow_;
    if (open->flow == 0) open->flow = ++next_flow_;
  } else if (data->suspended > 0) {
    if (data->suspended == 1 && data->ambiguous == 0 && data->flow != 0) {
      open->flow = data->flow;
      open->flags |= kResumed;
    }
    if (--data->suspended == 0) data->ambiguous = 0;
  }
  if (data->coroutine != 0 && thread->lane == thread->info.ordinal) {
    open->flags |= enter_task(thread);
  }
}

void Tracer::capture_at_enter(ThreadTrack* thread, pyhooks_event event,
                              const pyhooks_frame* frame, OpenSlice* open) {
  Capture capture;
  if (options_.capture_args && event == PYHOOKS_EVENT_START &&
      (open->flags & kHidden) == 0) {
    // repr runs Python code (other threads may run meanwhile): before
    // this thread's stack changes, and not charged to the slice.
    capture_args(frame, &capture);
    uint64_t later = clock_.now_ns();
    open->begin_ns = thread->last_ns = std::max(later, thread->last_ns + 1);
  }
  thread->captures.push_back(std::move(capture));
}

void Tracer::leave(ThreadTrack* thread, uint64_t now, pyhooks_event event,
                   const pyhooks_frame* frame) {
  close_slice(thread, now, event, frame);
}

PYHOOKS_TRACER_HOT void Tracer::close_slice(ThreadTrack* thread, uint64_t now,
                                            pyhooks_event event,
                                            const pyhooks_frame* frame) {
  const void* key =
      event >= PYHOOKS_EVENT_C_CALL ? frame->callable : frame->code;
  if (thread->stack.empty() || thread->stack.back().code != key) {
    ++unmatched_;  // began before tracing did, or in code we disabled
    return;
  }
  OpenSlice open = thread->stack.back();
  thread->stack.pop_back();
  uint32_t track = thread->lane;
  if (open.flags & kTaskRoot) thread->lane = thread->info.ordinal;
  if (capturing_) {
    close_captured(thread, now, event, frame, open, track);
    return;
  }
  Record record;
  if (slice_record(thread, now, event, frame, open, track, &record)) {
    emit(thread, record);
  }
}

void Tracer::close_captured(ThreadTrack* thread, uint64_t now,
                            pyhooks_event event, const pyhooks_frame* frame,
                            const OpenSlice& open, uint32_t track) {
  Capture capture = std::move(thread->captures.back());
  thread->captures.pop_back();
  Record record;
  if (!slice_record(thread, now, event, frame, open, track, &record)) return;
  // After the pop: the repr may let other threads run.
  if (options_.capture_return) capture_exit(event, frame, &capture);
  if (!capture.empty()) {
    record.flags |= kCaptured;
    emit(thread, record, &capture);
    return;
  }
  emit(thread, record);
}

PYHOOKS_TRACER_HOT bool Tracer::slice_record(ThreadTrack* thread, uint64_t now,
                                             pyhooks_event event,
                                             const pyhooks_frame* frame,
                                             const OpenSlice& open,
                                             uint32_t track, Record* record) {
  if (event == PYHOOKS_EVENT_YIELD &&
      (frame->flags & PYHOOKS_FRAME_GENERATOR)) {
    CodeData* data = open.data;
    if (++data->suspended == 1 && open.flow != 0) {
      data->flow = open.flow;
    } else {
      data->ambiguous = 1;
    }
  }
  if (open.flags & kHidden) return false;
  --thread->visible;
  if (now - open.begin_ns < options_.min_duration_ns) {
    ++short_slices_;
    return false;
  }
  *record =
      Record{open.begin_ns, now, open.name, track, 0, open.flags & ~kOpenOnly};
  if (event != PYHOOKS_EVENT_RETURN && event != PYHOOKS_EVENT_C_RETURN) {
    if (event == PYHOOKS_EVENT_YIELD) record->flags |= kSuspended;
    if (event == PYHOOKS_EVENT_UNWIND) {
      record->flags |= kLeftByException | exception_of(frame);
    }
    if (event == PYHOOKS_EVENT_C_RAISE) record->flags |= kLeftByException;
  }
  // A run that neither continues nor was continued needs no flow.
  if (open.flow != 0 && ((record->flags & (kSuspended | kResumed)) != 0)) {
    record->flow = open.flow;
  }
  return true;
}

PYHOOKS_TRACER_HOT void Tracer::emit(ThreadTrack* thread, const Record& record,
                                     Capture* capture) {
  Chunk* chunk = thread->chunk;
  if (chunk == nullptr || ring_ != nullptr || capture != nullptr) {
    emit_slow(thread, record, capture);
    return;
  }
  uint32_t count = chunk->count.load(std::memory_order_relaxed);
  chunk->records[count] = record;
  chunk->count.store(count + 1, std::memory_order_release);
  if (count + 1 == Chunk::kRecords) submit_full(thread);
}

void Tracer::emit_slow(ThreadTrack* thread, const Record& record,
                       Capture* capture) {
  if (ring_ != nullptr) {
    ring_->push(record, capture);
    return;
  }
  Chunk* chunk = thread->chunk;
  if (chunk == nullptr) {
    chunk = thread->chunk = writer_->acquire(thread->info.ordinal);
  }
  uint32_t count = chunk->count.load(std::memory_order_relaxed);
  if (capture != nullptr) chunk->captures.push_back(std::move(*capture));
  chunk->records[count] = record;
  chunk->count.store(count + 1, std::memory_order_release);
  if (count + 1 == Chunk::kRecords) submit_full(thread);
}

void Tracer::submit_full(ThreadTrack* thread) {
  name_late(thread);  // the writer names the thread at its first chunk
  writer_->submit(thread->chunk);
  thread->chunk = nullptr;
}

uint32_t Tracer::exception_of(const pyhooks_frame* frame) {
  if (frame->struct_size < offsetof(pyhooks_frame, value) + sizeof(void*) ||
      frame->value == nullptr || !PYHOOKS_API_HAS(api_, value_type_name)) {
    return 0;  // a 1.0 host, or an exit the host did not see
  }
  char name[128];
  if (api_->value_type_name(self_, frame->value, name, sizeof(name)) !=
      PYHOOKS_OK) {
    return 0;
  }
  auto found = exception_names_.find(name);
  if (found == exception_names_.end()) {
    found = exception_names_.emplace(name, names_.add(name)).first;
  }
  return found->second < (1u << (32 - kExceptionShift)) - 1
             ? exception_flags(found->second)
             : 0;  // beyond 2^24 names: not named
}

CodeData* Tracer::lookup_code(struct _object* code) {
  auto* data = static_cast<CodeData*>(api_->code_data(self_, code));
  if (data != nullptr && data->value == 0) data->value = classify(code, data);
  return data;
}

void Tracer::forget_code(const void* code_key) {
  CodeCacheEntry& cached = code_cache_[cache_slot(code_key)];
  if (cached.code == code_key) cached = CodeCacheEntry{nullptr, nullptr};
}

uint32_t Tracer::classify(struct _object* code, CodeData* data) {
  pyhooks_code_info info{};
  info.struct_size = sizeof(info);
  if (api_->code_info(self_, code, &info) != PYHOOKS_OK) return kExcluded;
  if (task_source_ != nullptr && (info.flags & PYHOOKS_FRAME_GENERATOR)) {
    data->coroutine = task_source_->is_coroutine(code) ? 1 : 0;
  }
  std::string filename = info.filename ? info.filename : "";
  bool frozen = filename.compare(0, 8, "<frozen ") == 0;
  if ((options_.ignore_frozen && frozen) ||
      (options_.ignore_stdlib && pyhooks::support::is_stdlib_file(filename))) {
    return kExcluded;
  }
  pyhooks::support::FileFacts facts =
      options_.filter.classify(filename, options_.start_dir);
  if (!facts.included) return kExcluded;
  std::string name = info.qualname && *info.qualname ? info.qualname
                     : info.name                     ? info.name
                                                     : "?";
  name += " (" + facts.display + ":" + std::to_string(info.first_line) + ")";
  return names_.add(std::move(name)) + 1;
}

Tracer::ThreadTrack* Tracer::switch_thread(uint64_t ident) {
  if (resume_pending_.load(std::memory_order_relaxed))
    count_event_after_fork(ident);
  auto found = by_ident_.find(ident);
  ThreadTrack* thread = found != by_ident_.end() ? found->second : nullptr;
  // An ident is reused once its thread has ended; the kernel's id tells a
  // new thread apart (checked only when the old one had nothing open).
  if (thread != nullptr && thread->stack.empty() &&
      thread->info.native_id != static_cast<int64_t>(::syscall(SYS_gettid))) {
    by_ident_.erase(found);
    thread = nullptr;
  }
  if (thread == nullptr) {
    threads_.push_back(std::make_unique<ThreadTrack>());
    thread = threads_.back().get();
    thread->lane = thread->info.ordinal = next_ordinal();
    thread->info.ident = ident;
    // Events arrive on the thread they describe.
    thread->info.native_id = static_cast<int64_t>(::syscall(SYS_gettid));
    thread->info.main = ident == main_ident_;
    by_ident_.emplace(ident, thread);
    try_name(thread);
    writer_->add_thread(thread->info);
  } else if (thread->name_tries != 0 && try_name(thread)) {
    writer_->add_thread(thread->info);
  }
  // While the writer waits after a fork, and while the thread is not named
  // yet, every event comes here.
  bool slow = resume_pending_.load(std::memory_order_relaxed) ||
              thread->name_tries != 0;
  current_ident_.store(slow ? 0 : ident, std::memory_order_relaxed);
  current_ = thread;
  return thread;
}

bool Tracer::lookup_name(ThreadTrack* thread) {
  pyhooks_thread_info info{};
  info.struct_size = sizeof(info);
  if (!PYHOOKS_API_HAS(api_, thread_info) ||
      api_->thread_info(self_, thread->info.ident, &info) != PYHOOKS_OK ||
      info.name == nullptr || info.name[0] == '\0') {
    return false;
  }
  thread->info.name = info.name;
  return true;
}

bool Tracer::try_name(ThreadTrack* thread) {
  if (lookup_name(thread) || ++thread->name_tries > kNameTries) {
    thread->name_tries = 0;
    return true;
  }
  return false;
}

void Tracer::name_late(ThreadTrack* thread) {
  if (thread->info.name.empty() && lookup_name(thread)) {
    thread->name_tries = 0;
    writer_->add_thread(thread->info);
  }
}

bool Tracer::after_fork_child() {
  uint64_t self_ident = static_cast<uint64_t>(pthread_self());
  bool forked_from_main = self_ident == main_ident_;
  std::unique_ptr<ThreadTrack> survivor;
  for (auto& thread : threads_) {
    if (thread->info.ident == self_ident) survivor = std::move(thread);
  }
  threads_.clear();
  by_ident_.clear();
  current_ident_.store(0, std::memory_order_relaxed);
  current_ = nullptr;
  resume_pending_.store(false, std::memory_order_relaxed);
  names_.reset_lock_after_fork();
  file_.abandon();
  forked_child_ = true;
  process_.pid = static_cast<int64_t>(getpid());
  process_.start_ns = clock_.now_ns();
  main_ident_ = self_ident;
  short_slices_ = 0;
  unmatched_ = 0;
  if (ring_ != nullptr) ring_->clear();
  merging_ = false;  // the program merges; its children only write
  ordinals_ = 0;
  task_lanes_.clear();
  if (task_source_ != nullptr) task_source_->after_fork_child();
  writer_->after_fork_child(process_, make_encoder(options_.format, &names_));
  if (!forked_from_main) {
    // CPython ends a child forked from another thread with pthread_exit when
    // that thread's function returns, so the process ends with its last
    // thread: a writer thread of ours would keep it alive forever. The
    // signal handlers inherited from the parent would reach a writer that
    // is about to go.
    remove_term_handlers();
    api_->log(self_, PYHOOKS_LOG_INFO,
              ("the child " + std::to_string(getpid()) +
               " was forked from a thread other than the main one; it is "
               "not traced")
                  .c_str());
    return false;
  }
  if (survivor != nullptr) {
    survivor->chunk = nullptr;
    survivor->lane = survivor->info.ordinal = next_ordinal();
    // Its open task runs end on its own track: the tasks start anew.
    for (OpenSlice& open : survivor->stack) open.flags &= ~kTaskRoot;
    survivor->info.native_id = static_cast<int64_t>(::syscall(SYS_gettid));
    survivor->info.main = true;
    threads_.push_back(std::move(survivor));
    by_ident_.emplace(self_ident, threads_.back().get());
  }
  std::string error = start();
  if (!error.empty()) {
    api_->log(self_, PYHOOKS_LOG_ERROR,
              ("in the forked child " + std::to_string(getpid()) + ": " +
               error + "; this process is not traced")
                  .c_str());
    return false;
  }
  for (auto& thread : threads_) writer_->add_thread(thread->info);
  return true;
}

void Tracer::finish() {
  // Close what is still open, innermost first, at the end of each thread's
  // timeline (this thread: now).
  uint64_t now = clock_.now_ns();
  for (auto& thread : threads_) {
    uint64_t end = thread->info.ident == static_cast<uint64_t>(pthread_self())
                       ? now
                       : thread->last_ns;
    while (!thread->stack.empty()) {
      OpenSlice open = thread->stack.back();
      thread->stack.pop_back();
      uint32_t track = thread->lane;
      if (open.flags & kTaskRoot) thread->lane = thread->info.ordinal;
      Capture capture;
      if (capturing_ && !thread->captures.empty()) {
        capture = std::move(thread->captures.back());
        thread->captures.pop_back();
      }
      if (end <= thread->last_ns) end = thread->last_ns + 1;
      thread->last_ns = end;
      if (open.flags & kHidden) continue;
      if (end - open.begin_ns < options_.min_duration_ns) continue;
      Record record{open.begin_ns,
                    end,
                    open.name,
                    track,
                    open.flags & kResumed ? open.flow : 0,
                    (open.flags & ~kOpenOnly) | kUnfinished};
      if (!capture.empty()) {
        record.flags |= kCaptured;
        emit(thread.get(), record, &capture);
        continue;
      }
      emit(thread.get(), record);
    }
  }
  std::string problem;
  if (writer_ != nullptr) {
    for (auto& thread : threads_) {
      name_late(thread.get());
      if (thread->chunk != nullptr) {
        writer_->submit(thread->chunk);
        thread->chunk = nullptr;
      }
    }
    DropReport drop = ring_ != nullptr ? ring_->drops() : DropReport{};
    if (merging_) writer_->set_before_end([this] { merge_children(); });
    problem = writer_->finish(drop);
    if (!problem.empty()) {
      problem = "writing the trace " + path_ + " failed: " + problem;
      api_->log(self_, PYHOOKS_LOG_ERROR, problem.c_str());
    }
  }
  print_summary(problem);
}

void Tracer::print_summary(const std::string& problem) {
  if (!options_.summary || writer_ == nullptr) return;
  uint64_t dropped = ring_ != nullptr ? ring_->drops().count : 0;
  std::string file = shown(path_, options_.start_dir);
  std::string how =
      options_.format == Format::kJson
          ? "open it in https://ui.perfetto.dev or chrome://tracing"
          : "open it in https://ui.perfetto.dev or with "
            "trace_processor " +
                file;
  char head[256];
  std::snprintf(head, sizeof(head),
                "pyhooks tracer: %llu slices (%llu events) written, %llu "
                "dropped%s",
                static_cast<unsigned long long>(writer_->slices_written()),
                static_cast<unsigned long long>(writer_->events_written()),
                static_cast<unsigned long long>(dropped),
                dropped ? " (ring buffer full: the earliest slices)" : "");
  std::string line = std::string(head) + "; " + file + " (" +
                     human_size(file_size(path_)) + ")";
  if (forked_child_) line += " [forked child " + std::to_string(getpid()) + "]";
  if (merging_) line += merge_summary();
  if (short_slices_ != 0) {
    line += "; " + std::to_string(short_slices_) +
            " slices shorter than min_duration_us left out";
  }
  line += problem.empty() ? "; " + how + "\n" : "; INCOMPLETE\n";
  size_t done = 0;
  while (done < line.size()) {
    ssize_t wrote = ::write(2, line.data() + done, line.size() - done);
    if (wrote <= 0) break;
    done += static_cast<size_t>(wrote);
  }
}

}  // namespace tracer
