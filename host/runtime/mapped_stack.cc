// host/runtime/mapped_stack.cc - reading the main thread's stack mapping
// from /proc/self/maps (see mapped_stack.h).
#include "mapped_stack.h"

#include <unistd.h>

#include <cstdio>

namespace pyhooks {

uintptr_t main_thread_mapping_start(uintptr_t address) {
  if (gettid() != getpid()) {
    return 0;
  }
  std::FILE* maps = std::fopen("/proc/self/maps", "re");
  if (maps == nullptr) {
    return 0;
  }
  char line[512];
  uintptr_t start = 0;
  while (std::fgets(line, sizeof(line), maps) != nullptr) {
    unsigned long low = 0;
    unsigned long high = 0;
    if (std::sscanf(line, "%lx-%lx", &low, &high) == 2 && low <= address &&
        address < high) {
      start = low;
      break;
    }
  }
  std::fclose(maps);
  return start;
}

}  // namespace pyhooks
