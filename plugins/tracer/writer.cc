// plugins/tracer/writer.cc - the writer thread's loop, back-pressure, the
// signal flush and the shutdown sequence (see writer.h).
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <new>

#include "term_signal.h"

namespace tracer {

Writer::Writer(std::unique_ptr<Encoder> encoder, TraceFile* file,
               ProcessInfo process, const Ring* ring)
    : encoder_(std::move(encoder)),
      file_(file),
      process_(std::move(process)),
      ring_(ring) {
  sem_init(&wake_, 0, 0);
}

Writer::~Writer() {
  if (thread_.joinable()) finish(DropReport{});
  sem_destroy(&wake_);
}

std::string Writer::start() {
  header_.clear();
  encoder_->begin_trace(process_, &header_);
  out_.clear();
  finished_ = false;
  stopping_ = false;
  flush_requested_.store(0);
  flush_done_.store(0);
  return start_thread();
}

std::string Writer::start_thread() {
  // The writer thread never takes a signal: a SIGTERM goes to a Python
  // thread, whose handler asks this thread to flush.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &previous);
  try {
    thread_ = std::thread([this] { run(); });
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return "cannot start the writer thread";
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  install_term_handlers(&wake_, &flush_requested_, &flush_done_);
  return "";
}

void Writer::flush_out() {
  if (!header_.empty()) {
    file_->write(header_);
    header_.clear();
  }
  if (!out_.empty()) file_->write(out_);
  out_.clear();
}

Chunk* Writer::acquire(uint32_t thread) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (paused_ && free_.empty() && queued_.size() >= kMaxQueued) {
    lock.unlock();
    resume();  // only the writer frees chunks
    lock.lock();
  }
  // Wait only when the writer has work that will free a chunk.
  freed_.wait(lock, [this] {
    // Paused with no thread to be had: more memory rather than a hang.
    return !free_.empty() || queued_.size() < kMaxQueued || stopping_ ||
           paused_;
  });
  Chunk* chunk;
  if (!free_.empty()) {
    chunk = free_.back();
    free_.pop_back();
  } else {
    all_.push_back(std::make_unique<Chunk>());
    chunk = all_.back().get();
  }
  chunk->thread = thread;
  chunk->count.store(0, std::memory_order_relaxed);
  chunk->live = true;
  return chunk;
}

void Writer::submit(Chunk* chunk) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    chunk->live = false;
    queued_.push_back(chunk);
  }
  sem_post(&wake_);
}

void Writer::add_thread(const ThreadInfo& thread) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (threads_.size() <= thread.ordinal) threads_.resize(thread.ordinal + 1);
  threads_[thread.ordinal] = thread;
}

void Writer::release(Chunk* chunk) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    chunk->count.store(0, std::memory_order_relaxed);
    free_.push_back(chunk);
  }
  freed_.notify_all();
}

void Writer::describe(uint32_t thread, std::string* out) {
  if (thread == 0) return;  // the process track
  if (described_.size() <= thread) described_.resize(thread + 1);
  if (described_[thread]) return;
  ThreadInfo info{};
  if (in_signal_flush_) {
    // The interrupted thread may hold the mutex; threads_ is not growing.
    if (thread < threads_.size()) info = threads_[thread];
  } else {
    std::lock_guard<std::mutex> lock(mutex_);
    if (thread < threads_.size()) info = threads_[thread];
  }
  info.ordinal = thread;
  encoder_->thread(info, out);
  described_[thread] = true;
}

void Writer::write_chunk(Chunk* chunk, std::string* out) {
  uint32_t count = chunk->count.load(std::memory_order_acquire);
  if (count == 0) return;
  describe(chunk->thread, out);
  for (uint32_t i = 0; i < count; ++i) {
    const Record& record = chunk->records[i];
    // An asyncio task's records share their thread's chunk.
    if (record.thread != chunk->thread) describe(record.thread, out);
    encoder_->record(record, out);
  }
  slices_ += count;
}

void Writer::write_ring(std::string* out) {
  // `out` is out_ (flush_out writes it).
  if (ring_ == nullptr) return;
  if (ring_->drops().count != 0) encoder_->dropped(ring_->drops(), out);
  ring_->for_each([&](const Record& record) {
    describe(record.thread, out);
    encoder_->record(record, out);
    ++slices_;
    if (out->size() > (1u << 20)) flush_out();
  });
}

void Writer::run() {
  thread_tid_.store(static_cast<long>(::syscall(SYS_gettid)));
  while (true) {
    while (sem_wait(&wake_) != 0 && errno == EINTR) {
    }
    if (flush_requested_.load()) {
      flush_for_signal();
      flush_done_.store(1);
      return;  // the process is about to die
    }
    while (true) {
      Chunk* chunk = nullptr;
      bool stop = false;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!queued_.empty()) {
          chunk = queued_.front();
          queued_.pop_front();
        } else {
          stop = stopping_;
        }
      }
      if (chunk == nullptr) {
        if (stop) return;
        break;
      }
      write_chunk(chunk, &out_);
      flush_out();
      release(chunk);
    }
  }
}

void Writer::flush_for_signal() {
  // The thread that took the signal waits in its handler; it may hold the
  // mutex, so take it only if it comes free soon.
  bool locked = false;
  for (int attempt = 0; attempt < 200 && !locked; ++attempt) {
    locked = mutex_.try_lock();
    if (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::vector<Chunk*> queued(queued_.begin(), queued_.end());
  std::vector<Chunk*> live;
  for (auto& chunk : all_) {
    if (chunk->live) live.push_back(chunk.get());
  }
  if (locked) mutex_.unlock();
  in_signal_flush_ = true;
  out_.clear();
  for (Chunk* chunk : queued) write_chunk(chunk, &out_);
  for (Chunk* chunk : live) write_chunk(chunk, &out_);
  write_ring(&out_);
  DropReport drop = ring_ != nullptr ? ring_->drops() : DropReport{};
  encoder_->end_trace(drop, slices_, &out_);
  flush_out();
  file_->close();
  finished_ = true;
}

std::string Writer::finish(const DropReport& drop) {
  remove_term_handlers();
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    freed_.notify_all();
    sem_post(&wake_);
    thread_.join();
  }
  if (finished_) return file_->error();
  // What the thread left (it stops once the queue is empty), then the
  // chunks still being filled.
  out_.clear();
  for (Chunk* chunk : queued_) write_chunk(chunk, &out_);
  queued_.clear();
  for (auto& chunk : all_) {
    if (chunk->live) write_chunk(chunk.get(), &out_);
    chunk->live = false;
  }
  write_ring(&out_);
  if (before_end_) {
    flush_out();
    before_end_();
  }
  encoder_->end_trace(drop, slices_, &out_);
  flush_out();
  finished_ = true;
  return file_->close();
}

uint64_t Writer::events_written() const {
  return slices_ * encoder_->events_per_slice();
}

void Writer::after_fork_child(ProcessInfo process,
                              std::unique_ptr<Encoder> encoder) {
  // Only this thread survives; the writer thread and any lock holder are
  // gone. std::thread must not be joined or destroyed joinable.
  if (thread_.joinable()) {
    new (&thread_) std::thread();
  }
  new (&mutex_) std::mutex();
  new (&freed_) std::condition_variable();
  queued_.clear();
  free_.clear();
  for (auto& chunk : all_) {
    chunk->live = false;
    chunk->count.store(0, std::memory_order_relaxed);
    free_.push_back(chunk.get());
  }
  described_.clear();
  slices_ = 0;
  finished_ = false;
  stopping_ = false;
  sem_init(&wake_, 0, 0);  // its waiter is gone; start afresh
  process_ = std::move(process);
  encoder_ = std::move(encoder);
  paused_ = false;
}

void Writer::pause() {
  if (!thread_.joinable()) return;  // paused already, or finished
  remove_term_handlers();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  freed_.notify_all();
  sem_post(&wake_);
  thread_.join();
  // pthread_join returns when the thread has left; the kernel forgets it a
  // moment later, and only then stops counting it.
  char task[64];
  std::snprintf(task, sizeof(task), "/proc/self/task/%ld", thread_tid_.load());
  struct timespec pause_step {
    0, 20000
  };  // 20 us, at most 5000 times
  for (int i = 0; i < 5000 && ::access(task, F_OK) == 0; ++i) {
    ::nanosleep(&pause_step, nullptr);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  stopping_ = false;
  paused_ = !finished_;  // a signal flush ends the writer for good
}

void Writer::resume() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!paused_) return;
    paused_ = false;
  }
  if (!start_thread().empty()) {
    // No thread: the chunks are written at finish(), or lost at os._exit.
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = true;
  }
}

bool Writer::paused() {
  std::lock_guard<std::mutex> lock(mutex_);
  return paused_;
}

}  // namespace tracer
