// cli/stack_limit.cc - raising RLIMIT_STACK before exec (see stack_limit.h).
#include "stack_limit.h"

#include <sys/resource.h>

#include <cstdlib>
#include <string>

namespace pyhooks {

namespace {

constexpr rlim_t kWantedStack = rlim_t{1} << 30;  // 1 GiB

}  // namespace

void enlarge_main_stack() {
  struct rlimit limit;
  if (getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
      limit.rlim_cur >= kWantedStack) {
    return;
  }
  rlim_t original = limit.rlim_cur;
  rlim_t wanted = kWantedStack;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted) {
    wanted = limit.rlim_max;
  }
  if (wanted <= original) {
    return;
  }
  limit.rlim_cur = wanted;
  if (setrlimit(RLIMIT_STACK, &limit) == 0 &&
      std::getenv("PYHOOKS_THREAD_STACK_SIZE") == nullptr) {
    // An enclosing pyhooks run already recorded the true original.
    setenv("PYHOOKS_THREAD_STACK_SIZE", std::to_string(original).c_str(), 1);
  }
}

}  // namespace pyhooks
