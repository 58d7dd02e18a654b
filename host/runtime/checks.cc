// host/runtime/checks.cc - what a failed invariant check does (checks.h).
#include "checks.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "report.h"

namespace {

// Sites already reported, for the whole process: a breach is the host's
// bug, not an interpreter's state, and one line per site is enough.
std::mutex reported_lock;
std::set<std::pair<const char*, int>>& reported_sites() {
  static auto* sites = new std::set<std::pair<const char*, int>>();
  return *sites;
}

}  // namespace

extern "C" int pyhooks_check_failed(const char* file, int line,
                                    const char* condition, const char* what) {
  {
    std::lock_guard<std::mutex> hold(reported_lock);
    if (!reported_sites().insert({file, line}).second) {
      return 0;
    }
  }
  pyhooks::report_error(std::string("internal check failed (") + what + ": " +
                        condition + " at " + file + ":" + std::to_string(line) +
                        "); recovered and continuing; please report this");
  return 0;
}

extern "C" void pyhooks_dcheck_failed(const char* file, int line,
                                      const char* condition) {
  std::fprintf(stderr, "pyhooks: debug check failed: %s at %s:%d\n", condition,
               file, line);
  std::fflush(stderr);
  std::abort();
}
