// plugins/tracer/name_table.h - slice names ("qualname (file:line)"),
// interned once per code object and shared by all threads.
//
// Python threads add names (with the GIL held, at a code object's first
// event); the writer thread reads them while encoding. Names are never
// removed or changed, so an id stays valid for the whole trace; a mutex
// guards the container, taken only on add and on the encoder's first use of
// an id (each encoder caches what it has emitted).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

namespace tracer {

class NameTable {
 public:
  uint32_t add(std::string name);
  // A copy of name `id` ("" for an unknown id).
  std::string get(uint32_t id) const;
  uint32_t size() const;
  // After fork: the mutex may have been held by a thread that is gone.
  void reset_lock_after_fork();

 private:
  mutable std::mutex mutex_;
  std::deque<std::string> names_;
};

}  // namespace tracer
