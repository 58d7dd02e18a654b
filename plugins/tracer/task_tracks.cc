// plugins/tracer/task_tracks.cc - asyncio task tracks (async_tracks = true):
// the slices of the coroutine runs a Task drives, and of everything they
// call, go to a track of that task's own, named by the task's name.
//
// A Task's step (C code in _asyncio) sets the loop's current task, then
// resumes the task's coroutine: that coroutine's START or RESUME arrives
// while the thread has no task run open (the event loop's own frames,
// Handle._run and below, are on the thread's track). Only there is the
// TaskSource asked which task runs; the answer moves the thread's `lane`
// (the track its records go to) to the task's track until that run ends
// (kTaskRoot on the open slice). Coroutines it awaits resume inside that
// run, so they and every call below land on the task's track too and nest
// as they ran. Code that is no coroutine's never gets here
// (CodeData::coroutine is set once per code object, only with a source).
#include "tracer.h"

namespace tracer {

uint32_t Tracer::enter_task(ThreadTrack* thread) {
  std::string name;
  uint64_t number = task_source_->current_task(&name);
  if (number == 0) return 0;  // a coroutine no task drives (or no loop)
  if (task_lanes_.size() <= number) task_lanes_.resize(number + 1, 0);
  uint32_t& lane = task_lanes_[number];
  if (lane == 0) {
    ThreadInfo task;
    task.ordinal = lane = next_ordinal();
    task.ident = number;
    task.native_id = thread->info.native_id;
    task.task = true;
    task.name = name.empty() ? "task " + std::to_string(number) : name;
    writer_->add_thread(task);
  }
  thread->lane = lane;
  return kTaskRoot;
}

}  // namespace tracer
