// host/runtime/thread_names.h - a thread's name and OS thread id, for the
// host function thread_info (ABI 1.1, plugin ABI policy HOST-17).
//
// One cache per interpreter. The first query about a thread reads its
// PyThreadState (the native id) and threading's record of it (the name: a
// dict lookup and an instance attribute, no Python code runs); later queries
// are one hash lookup. Entries are keyed by the thread id and checked
// against the thread state's never-reused id, so a recycled thread id is
// resolved afresh. Names are interned for the interpreter's life, so the
// pointers a plugin receives stay valid.
#pragma once

#include <Python.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace pyhooks {

class ThreadNames {
 public:
  struct Thread {
    uint64_t state_id = 0;  // phc_tstate_unique_id
    uint64_t native_id = 0;
    const char* name = "";  // interned; "" until threading knows the thread
  };

  // The thread of `interp` whose threading.get_ident() is `thread_id`, or
  // nullptr if that interpreter has no such thread. GIL held.
  const Thread* find(PyInterpreterState* interp, uint64_t thread_id);

 private:
  const char* resolve_name(uint64_t thread_id);

  std::unordered_map<uint64_t, Thread> threads_;
  std::unordered_set<std::string> names_;
};

}  // namespace pyhooks
