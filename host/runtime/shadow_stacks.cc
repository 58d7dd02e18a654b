// host/runtime/shadow_stacks.cc - thread-local storage of the records.
#include "shadow_stacks.h"

namespace pyhooks {

namespace {

struct Entry {
  const void* source;
  uint64_t epoch;
  ThreadShadow shadow;
};

}  // namespace

ThreadShadow& thread_shadow(const void* source, uint64_t epoch) {
  // Usually one entry: one source (interpreter) per thread.
  thread_local std::vector<Entry> entries;
  for (Entry& entry : entries) {
    if (entry.source == source) {
      if (entry.epoch != epoch) {
        entry.epoch = epoch;
        entry.shadow.open.clear();
        entry.shadow.announced.clear();
      }
      return entry.shadow;
    }
  }
  entries.push_back({source, epoch, {}});
  return entries.back().shadow;
}

}  // namespace pyhooks
