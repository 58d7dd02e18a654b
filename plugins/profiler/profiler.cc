// plugins/profiler/profiler.cc - the event entry point (the hot path), thread
// attachment, fork handling and the shutdown sequence.
#include "profiler.h"

#include <pyhooks/plugin.hpp>

#include <errno.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "calibration.h"
#include "collapsed_writer.h"
#include "flamegraph_svg.h"
#include "frame_labels.h"
#include "profile_merge.h"
#include "pstats_writer.h"
#include "speedscope_writer.h"
#include "summary_report.h"
#include "support_names.h"

namespace profiler {

// Declared in profiler.h (the inline hot path reads it).
__thread __attribute__((tls_model("initial-exec"))) uint64_t tls_serial = 0;

namespace {

// The calling thread's serial number (1, 2, ...), never reused in this
// process (a fork keeps the forking thread's).
uint64_t thread_serial() {
  static std::atomic<uint64_t> last_serial{0};
  if (tls_serial == 0) tls_serial = ++last_serial;
  return tls_serial;
}

}  // namespace

Profiler::Profiler(pyhooks_plugin* self, ProfilerOptions options)
    : self_(self),
      api_(self->api),
      options_(std::move(options)),
      functions_(&options_.filter, options_.start_dir),
      clock_(options_.clock, options_.timer),
      overhead_ticks_(measure_event_cost(clock_)),
      max_paths_(options_.max_paths),
      main_serial_(thread_serial()),
      start_ns_(read_clock(CLOCK_MONOTONIC)),
      child_process_(!is_program_process()) {}

inline ThreadProfile* Profiler::running_thread(const pyhooks_frame* frame) {
  return tls_serial == current_serial_
             ? current_
             : switch_thread(thread_serial(), frame->thread_id);
}

pyhooks_status Profiler::on_event_general(pyhooks_event event,
                                          const pyhooks_frame* frame) noexcept {
  try {
    return on_any_event(event, frame);
  } catch (...) {
    pyhooks::detail::report_exception(self_, "on_event", "");
    return PYHOOKS_ERROR;
  }
}

pyhooks_status Profiler::on_any_event(pyhooks_event event,
                                      const pyhooks_frame* frame) {
  // C-call events read the clock themselves, after naming the function.
  if (event >= PYHOOKS_EVENT_C_CALL) return on_c_event(event, frame);
  uint64_t now = clock_.now();
  ThreadProfile* thread = running_thread(frame);
  if (event <= PYHOOKS_EVENT_RESUME) {
    CodeCacheEntry& cached = code_cache_[cache_slot(frame->code)];
    uint32_t value;
    if (cached.code == frame->code) {
      value = cached.value;
    } else {
      value = lookup_code(frame->code);
      cached = CodeCacheEntry{frame->code, value};
      now = clock_.now();  // not charging the look-up
    }
    if (value == kExcluded) return PYHOOKS_DISABLE;
    thread->enter(now, value - 1, frame->code, event == PYHOOKS_EVENT_START);
    return PYHOOKS_OK;
  }
  thread->exit(now, frame->code);
  return PYHOOKS_OK;
}

pyhooks_status Profiler::on_c_event(pyhooks_event event,
                                    const pyhooks_frame* frame) {
  // narrow_events drops these with builtins off; a host without it does not.
  if (!options_.builtins) return PYHOOKS_OK;
  // Activations of a C function are matched by the callable object, which
  // the host guarantees is the same on its C_RETURN / C_RAISE.
  if (event != PYHOOKS_EVENT_C_CALL) {
    uint64_t now = clock_.now();
    running_thread(frame)->exit(now, frame->callable);
    return PYHOOKS_OK;
  }
  CodeCacheEntry& cached = code_cache_[cache_slot(frame->code)];
  uint32_t caller =
      cached.code == frame->code ? cached.value : lookup_code(frame->code);
  if (caller == kExcluded) return PYHOOKS_DISABLE;  // filtered-out code
  uint32_t fid = builtin_fid(frame);
  if (fid == kNoFunction) return PYHOOKS_OK;  // no exit owed: not timed
  ThreadProfile* thread = running_thread(frame);
  thread->enter(clock_.now(), fid, frame->callable, true);
  return PYHOOKS_OK;
}

uint32_t Profiler::builtin_fid(const pyhooks_frame* frame) {
  const char* name = nullptr;
  const void* key = nullptr;
  if (api_->c_function_name(self_, frame, &name, &key) != PYHOOKS_OK ||
      key == nullptr) {
    return kNoFunction;
  }
  const uint64_t map_key = reinterpret_cast<uintptr_t>(key);
  if (const uint32_t* found = builtin_fids_.find(map_key)) return *found;
  uint32_t fid = functions_.intern_builtin(name);
  builtin_fids_.insert(map_key, fid);
  return fid;
}

uint32_t Profiler::lookup_code(struct _object* code) {
  auto* mark = static_cast<uint32_t*>(api_->code_data(self_, code));
  uint32_t value = mark != nullptr ? *mark : 0;
  return value != 0 ? value : classify(code, mark);
}

void Profiler::forget_code(const void* code_key) {
  CodeCacheEntry& cached = code_cache_[cache_slot(code_key)];
  if (cached.code == code_key) cached = CodeCacheEntry{nullptr, 0};
}

uint32_t Profiler::classify(struct _object* code, uint32_t* mark) {
  pyhooks_code_info info{};
  info.struct_size = sizeof(info);
  uint32_t value = kExcluded;
  if (api_->code_info(self_, code, &info) == PYHOOKS_OK) {
    uint32_t fid = functions_.intern(info);
    if (fid != kNoFunction) value = fid + 1;
  }
  // Without inline data (the host ran out of memory) the code is classified
  // again at every entry: slower, still correct.
  if (mark != nullptr) *mark = value;
  return value;
}

ThreadProfile* Profiler::switch_thread(uint64_t serial, uint64_t ident) {
  auto found = by_serial_.find(serial);
  ThreadProfile* thread;
  if (found != by_serial_.end()) {
    thread = found->second;
  } else {
    // In order of first event; after a fork the survivor keeps its number.
    uint32_t ordinal = threads_.empty() ? 1 : threads_.back()->ordinal() + 1;
    threads_.push_back(std::make_unique<ThreadProfile>(
        ident, ordinal, overhead_ticks_, max_paths_));
    thread = threads_.back().get();
    by_serial_.emplace(serial, thread);
  }
  current_serial_ = serial;
  current_ = thread;
  return thread;
}

ThreadProfile* Profiler::calling_thread_or_null() const {
  auto found = by_serial_.find(thread_serial());
  return found == by_serial_.end() ? nullptr : found->second;
}

void Profiler::after_fork_child() {
  ThreadProfile* survivor = calling_thread_or_null();
  std::vector<std::unique_ptr<ThreadProfile>> kept;
  for (auto& thread : threads_) {
    if (thread.get() == survivor) kept.push_back(std::move(thread));
  }
  threads_ = std::move(kept);
  by_serial_.clear();
  current_serial_ = kNoThread;
  current_ = nullptr;
  if (survivor != nullptr) {
    by_serial_.emplace(thread_serial(), survivor);
    survivor->reset_after_fork(clock_.now());
  }
  main_serial_ = thread_serial();
  start_ns_ = read_clock(CLOCK_MONOTONIC);
  forked_child_ = true;
  child_process_ = true;
}

std::vector<std::string> Profiler::thread_names() const {
  // Indexed by ordinal; after a fork the survivor keeps its old ordinal.
  uint32_t last = 0;
  for (const auto& thread : threads_) last = std::max(last, thread->ordinal());
  std::vector<std::string> names(last + 1);
  auto main = by_serial_.find(main_serial_);
  const ThreadProfile* main_thread =
      main == by_serial_.end() ? nullptr : main->second;
  for (const auto& thread : threads_) {
    std::string name = thread.get() == main_thread
                           ? std::string("main thread")
                           : "thread " + std::to_string(thread->ordinal());
    names[thread->ordinal()] =
        name + " (ident " + std::to_string(thread->ident()) + ")";
  }
  return names;
}

void Profiler::finish() {
  // Close what is still open: this thread now; others at their last event
  // (CPU clock) or now (wall clock, which all threads share).
  ThreadProfile* current = calling_thread_or_null();
  uint64_t shared_now = clock_.now();
  for (auto& thread : threads_) {
    uint64_t end;
    if (thread.get() == current) {
      end = clock_.now();
    } else {
      end =
          options_.clock == ClockKind::kWall ? shared_now : thread->last_now();
    }
    thread->close_all(end);
  }

  std::vector<const ThreadProfile*> all;
  SummaryFacts facts;
  std::vector<std::string> names = thread_names();
  for (const auto& thread : threads_) {
    all.push_back(thread.get());
    facts.unmatched_events += thread->unmatched();
    facts.flat_entries += thread->flat_entries();
    facts.call_paths += thread->nodes().size() - 1;
    facts.table_bytes += thread->memory_bytes();
  }
  const double ns_per_tick = clock_.ns_per_tick();
  MergedProfile merged =
      merge_threads(all, functions_.size(), options_.per_thread, ns_per_tick);
  for (const auto& thread : threads_) {
    ThreadTotals totals = thread_totals(*thread);
    facts.threads.push_back(ThreadLine{
        names[thread->ordinal()],
        static_cast<uint64_t>(totals.own_ticks * ns_per_tick), totals.calls});
  }
  facts.clock = options_.clock;
  facts.overhead_ns = overhead_ticks_ * ns_per_tick;
  facts.timer = clock_.timer_name();
  facts.excluded_files = functions_.excluded_files();
  facts.table_bytes += functions_.memory_bytes();
  facts.filtered = !options_.filter.empty();
  facts.forked_child = forked_child_;
  facts.child = child_process_;
  facts.pid = static_cast<long>(getpid());
  if (child_process_) facts.command = command_line();
  facts.elapsed_ns = read_clock(CLOCK_MONOTONIC) - start_ns_;

  write_outputs(&facts, merged, ns_per_tick);

  if (options_.summary_rows > 0) {
    std::string text = summary_text(
        merged, functions_, static_cast<size_t>(options_.summary_rows), facts);
    size_t done = 0;
    while (done < text.size()) {
      ssize_t wrote = ::write(2, text.data() + done, text.size() - done);
      if (wrote <= 0) break;
      done += static_cast<size_t>(wrote);
    }
  }
}

void Profiler::write_outputs(SummaryFacts* facts, const MergedProfile& merged,
                             double ns_per_tick) {
  const std::string& start_dir = options_.start_dir;
  // Every child (forked or a new interpreter) writes names of its own.
  std::string suffix =
      child_process_ ? ".pid" + std::to_string(static_cast<long>(getpid()))
                     : "";
  const OutputSpec* specs[] = {&options_.pstats, &options_.collapsed,
                               &options_.svg, &options_.speedscope};
  const int spec_count = sizeof(specs) / sizeof(specs[0]);
  std::string default_dir = start_dir;
  std::string stem = free_default_stem(specs, spec_count, default_dir, suffix);

  auto target = [&](const OutputSpec& spec) {
    return spec.given ? with_suffix(spec.path, suffix) : stem + spec.extension;
  };
  // Writes one file; returns the path written, or "" after reporting why not.
  auto write = [&](const OutputSpec& spec, std::string path,
                   const std::string& data, bool defaulted) {
    int error_number = 0;
    std::string error = write_file(path, data, !spec.given, &error_number);
    for (int retry = 0; defaulted && !error.empty() && retry < 8; ++retry) {
      if (error_number != EEXIST) {
        // The start directory cannot take the default names (removed, made
        // read-only or full since init): the temporary directory can.
        std::string fallback = fallback_directory();
        if (fallback == default_dir) break;
        std::string note = "cannot write " + shown_path(path, start_dir) +
                           " (" + error + "); the profile goes to " + fallback +
                           " instead";
        facts->problems.push_back(note);
        api_->log(self_, PYHOOKS_LOG_WARNING, note.c_str());
        default_dir = fallback;
      }
      // EEXIST: another process took a default name after the stem was
      // chosen: move on to the next free set rather than replace its file.
      stem = free_default_stem(specs, spec_count, default_dir, suffix);
      path = target(spec);
      error = write_file(path, data, true, &error_number);
    }
    if (error.empty()) return path;
    std::string message = "cannot write the " + std::string(spec.option) +
                          " file " + path + ": " + error;
    facts->problems.push_back(message);
    api_->log(self_, PYHOOKS_LOG_ERROR, message.c_str());
    return std::string();
  };
  auto written = [&](const std::string& path, const std::string& how) {
    if (!path.empty())
      facts->written.push_back(shown_path(path, start_dir) + how);
  };

  FrameLabels labels(functions_, thread_names());
  if (options_.pstats.enabled) {
    std::string path =
        write(options_.pstats, target(options_.pstats),
              pstats_bytes(merged, functions_), !options_.pstats.given);
    written(path, "  (python -m pstats " + shown_path(path, start_dir) + ")");
    if (options_.per_thread && !path.empty()) {
      for (const auto& thread : threads_) {
        std::vector<const ThreadProfile*> one{thread.get()};
        MergedProfile single =
            merge_threads(one, functions_.size(), false, ns_per_tick);
        std::string name =
            with_suffix(path, ".thread-" + std::to_string(thread->ordinal()));
        written(write(options_.pstats, name, pstats_bytes(single, functions_),
                      false),
                "");
      }
    }
  }
  if (options_.collapsed.enabled) {
    written(write(options_.collapsed, target(options_.collapsed),
                  collapsed_text(merged, labels), !options_.collapsed.given),
            "  (flamegraph.pl, inferno)");
  }
  if (options_.svg.enabled) {
    FlamegraphTitle heading;
    heading.title = "pyhooks profiler flamegraph";
    char subtitle[256];
    std::snprintf(subtitle, sizeof(subtitle),
                  "%s clock, %.3f s summed over threads, %llu calls - click to "
                  "zoom, Ctrl-F to search",
                  clock_name(options_.clock), merged.total_ns / 1e9,
                  static_cast<unsigned long long>(merged.calls));
    heading.subtitle = subtitle;
    if (child_process_) {
      heading.subtitle = "process " + std::to_string(facts->pid) + " (" +
                         facts->command + "): " + heading.subtitle;
    }
    written(write(options_.svg, target(options_.svg),
                  flamegraph_svg(merged, functions_, labels, heading),
                  !options_.svg.given),
            "  (open in a browser)");
  }
  if (options_.speedscope.enabled) {
    std::string name = "pyhooks profile of " + command_line();
    if (child_process_) name += " (process " + std::to_string(facts->pid) + ")";
    written(write(options_.speedscope, target(options_.speedscope),
                  speedscope_json(merged, functions_, labels, name),
                  !options_.speedscope.given),
            "  (drop it on https://www.speedscope.app)");
  }
}

}  // namespace profiler
