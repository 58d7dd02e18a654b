// cli/stack_limit.cc - raising RLIMIT_STACK before exec (see stack_limit.h).
#include "stack_limit.h"

#include <sys/resource.h>

#include <cstdlib>
#include <string>

namespace pyhooks {

namespace {

constexpr rlim_t kWantedStack = rlim_t{1} << 30;  // 1 GiB
constexpr const char* kInheritedVariable = "PYHOOKS_STACK_RLIMIT";

}  // namespace

bool enlarge_main_stack() {
  // Set by an enclosing pyhooks run only if its boot library never ran; the
  // limit in force now is the one to restore.
  unsetenv(kInheritedVariable);
  struct rlimit limit;
  if (getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
      limit.rlim_cur >= kWantedStack) {
    return true;
  }
  rlim_t inherited = limit.rlim_cur;
  rlim_t wanted = kWantedStack;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted) {
    wanted = limit.rlim_max;
  }
  if (wanted <= inherited) {
    return true;
  }
  if (setenv(kInheritedVariable, std::to_string(inherited).c_str(), 1) != 0) {
    return false;
  }
  limit.rlim_cur = wanted;
  if (setrlimit(RLIMIT_STACK, &limit) != 0) {
    unsetenv(kInheritedVariable);
  }
  return true;
}

}  // namespace pyhooks
