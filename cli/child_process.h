// cli/child_process.h - running a short-lived helper process (an interpreter
// probe, a throw-away plugin check) and reading what it prints, without a
// shell and without letting it read our stdin.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "loader/result.h"

namespace pyhooks {

struct CapturedRun {
  std::string output;  // stderr, and stdout when asked for; at most `limit`
  bool exited_zero = false;
  bool overflowed = false;  // it printed more than `limit` bytes
};

struct CaptureOptions {
  bool capture_stdout = true;  // else stdout goes to /dev/null
  size_t limit = 64 * 1024;
  // Past `limit`: kill the child (it is not answering) instead of reading
  // on and keeping the first `limit` bytes.
  bool kill_on_overflow = false;
};

// args[0] is the program's path (no PATH search); `env` is its whole
// environment. stdin is /dev/null. Error: the child could not be started
// (the text is strerror's).
Result<CapturedRun> run_captured(const std::vector<std::string>& args,
                                 const std::vector<std::string>& env,
                                 const CaptureOptions& options);

}  // namespace pyhooks
