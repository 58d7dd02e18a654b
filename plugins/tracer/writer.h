// plugins/tracer/writer.h - the writer thread: takes full per-thread chunks
// of records from the Python threads, encodes them and appends them to the
// trace file while the program runs, so memory stays flat for any run
// length (mode = "stream"); in mode = "ring" it only waits for a fatal
// signal. At a SIGTERM it writes what is recorded so far and closes the file
// (term_signal.h).
//
// Memory: chunks of kChunkRecords records (128 KiB). At most kMaxQueued
// full chunks wait for the writer; a Python thread that fills one more waits
// for the writer to catch up (back-pressure, never a drop). Each Python
// thread holds one chunk it is filling.
//
// Threads: acquire/submit/add_thread are called by Python threads with the
// GIL held; everything else about the file and the encoder happens on the
// writer thread, or on the caller of finish() after the writer has stopped.
#pragma once

#include <semaphore.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "encoder.h"
#include "ring.h"
#include "trace_file.h"
#include "trace_record.h"

namespace tracer {

struct Chunk {
  static constexpr uint32_t kRecords = 4096;
  uint32_t thread = 0;
  std::atomic<uint32_t> count{0};  // records[0, count) are complete
  bool live = false;               // being filled by its thread
  Record records[kRecords];
};

class Writer {
 public:
  static constexpr size_t kMaxQueued = 32;

  Writer(std::unique_ptr<Encoder> encoder, TraceFile* file, ProcessInfo process,
         const Ring* ring);
  ~Writer();

  // Writes the trace's opening and starts the thread; "" or an error.
  std::string start();

  // A Python thread's next chunk to fill (may wait for the writer).
  Chunk* acquire(uint32_t thread);
  // A filled chunk, to be written.
  void submit(Chunk* chunk);
  // A thread's description, written before its first record.
  void add_thread(const ThreadInfo& thread);

  // Shutdown: writes every chunk (full or not), the ring (in ring mode) and
  // the trace's end, stops the thread, closes the file. "" or an error.
  std::string finish(const DropReport& drop);
  // Called by finish() after the last record and before the trace's end,
  // to append more to the file (merge = true: the children's traces).
  void set_before_end(std::function<void()> hook) {
    before_end_ = std::move(hook);
  }

  // In a forked child, before start() again with a new file: the thread is
  // gone, the parent writes what was queued; forget it all.
  void after_fork_child(ProcessInfo process, std::unique_ptr<Encoder> encoder);

  // Before fork (fork_guard.h): writes what is queued, stops the thread and
  // waits until the kernel no longer counts it; the signal handlers are off
  // meanwhile (a SIGTERM then ends the process as os._exit would). Chunks
  // submitted while paused wait; resume() starts the thread again (also
  // done by acquire() rather than waiting on a full queue). Python threads
  // with the GIL only.
  void pause();
  void resume();
  bool paused();

  uint64_t slices_written() const { return slices_; }
  uint64_t events_written() const;

 private:
  void run();
  void write_chunk(Chunk* chunk, std::string* out);
  void write_ring(std::string* out);
  void describe(uint32_t thread, std::string* out);
  void release(Chunk* chunk);
  void flush_for_signal();
  std::string start_thread();

  std::unique_ptr<Encoder> encoder_;
  TraceFile* file_;
  ProcessInfo process_;
  const Ring* ring_;

  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Chunk>> all_;
  std::vector<Chunk*> free_;
  std::deque<Chunk*> queued_;
  std::vector<ThreadInfo> threads_;  // by ordinal (index 0 unused)
  std::vector<bool> described_;      // writer side, by ordinal
  bool stopping_ = false;
  bool paused_ = false;           // under mutex_
  bool in_signal_flush_ = false;  // writer thread only

  // Writes `out_` (after the trace's opening, held back until the first
  // write so that the file is opened only then) and clears it.
  void flush_out();

  std::thread thread_;
  std::atomic<long> thread_tid_{0};  // the writer's kernel thread id
  // One semaphore wakes the writer, posted by submit, finish and the signal
  // handler (sem_post is async-signal-safe); no descriptor is held.
  sem_t wake_;
  std::atomic<int> flush_requested_{0};  // signal handler -> writer
  std::atomic<int> flush_done_{0};       // writer -> signal handler
  std::string header_;
  bool finished_ = false;
  uint64_t slices_ = 0;
  std::string out_;  // encoder output, reused
  std::function<void()> before_end_;
};

}  // namespace tracer
