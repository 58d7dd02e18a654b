// plugins/tracer/task_source.h - which asyncio Task is running, for the
// task tracks (async_tracks = true).
//
// The tracer's core knows no Python; the plugin gives it an implementation
// that asks CPython's _asyncio module (asyncio_tasks.cc). It is asked only
// where a coroutine's run begins outside any task run of its thread (the
// run a Task's step drives), and once per code object whether the code is
// a coroutine's, so code that is no coroutine pays nothing.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

struct _object;

namespace tracer {

class TaskSource {
 public:
  virtual ~TaskSource() = default;
  // True for the code of a coroutine (async def, @types.coroutine). Once
  // per code object, with the GIL held.
  virtual bool is_coroutine(struct _object* code) = 0;
  // The task running on the calling thread's event loop: a number of its
  // own (1, 2, ... in order of first sighting, never reused while the
  // tracer runs), or 0 when none. The first time a number is returned,
  // *name is set to the task's name (get_name()). With the GIL held; leaves
  // the Python error state as it was.
  virtual uint64_t current_task(std::string* name) = 0;
  // In a forked child: forget the numbers (the child's trace starts anew).
  virtual void after_fork_child() = 0;
};

// The plugin's source, asking CPython's _asyncio module (asyncio_tasks.cc,
// built into the plugin only: it calls the limited Python C API).
std::unique_ptr<TaskSource> make_asyncio_task_source();

}  // namespace tracer
