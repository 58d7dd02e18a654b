// plugins/tracer/name_table.cc - the shared, append-only slice names.
#include "name_table.h"

#include <new>

namespace tracer {

uint32_t NameTable::add(std::string name) {
  std::lock_guard<std::mutex> lock(mutex_);
  names_.push_back(std::move(name));
  return static_cast<uint32_t>(names_.size() - 1);
}

std::string NameTable::get(uint32_t id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return id < names_.size() ? names_[id] : std::string();
}

uint32_t NameTable::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<uint32_t>(names_.size());
}

void NameTable::reset_lock_after_fork() {
  // Only the forking thread survives; a lock it did not hold is dead.
  new (&mutex_) std::mutex();
}

}  // namespace tracer
