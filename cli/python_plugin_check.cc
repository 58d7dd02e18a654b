// cli/python_plugin_check.cc - starting each Python plugin once, in a
// throw-away interpreter, to learn whether `pyhooks run` could.
#include "python_plugin_check.h"

#include <string>
#include <vector>

#include "child_process.h"
#include "interpreter.h"
#include "run_spec.h"

extern char** environ;

namespace pyhooks {

namespace {

// Activates the requests (argv[1], JSON) as `pyhooks run` does, then shuts
// them down; the first line of a failure goes to stderr, exit status 2.
constexpr const char* kScript = R"PY(
import json, sys
import pyhooks
try:
    pyhooks.configure(json.loads(sys.argv[1]))
    pyhooks.shutdown()
except Exception as error:
    sys.stderr.write((str(error).splitlines() or [type(error).__name__])[0])
    sys.exit(2)
)PY";

constexpr size_t kOutputLimit = 64 * 1024;

std::vector<std::string> child_environment(const std::string& package_dir) {
  std::vector<std::string> env;
  std::string python_path = package_dir;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string item = *entry;
    if (item.rfind("PYTHONPATH=", 0) == 0) {
      python_path += ":" + item.substr(11);
    } else if (item.rfind("PYHOOKS_RUN_SPEC=", 0) != 0) {
      env.push_back(item);
    }
  }
  env.push_back("PYTHONPATH=" + python_path);
  return env;
}

// Runs `python -c kScript requests`, stdout discarded; its stderr and
// whether it exited with status 0.
Result<std::pair<std::string, bool>> run_check(const std::string& python,
                                               const std::string& requests,
                                               const std::string& package_dir) {
  CaptureOptions options;
  options.capture_stdout = false;
  options.limit = kOutputLimit;
  auto run = run_captured({python, "-c", kScript, requests},
                          child_environment(package_dir), options);
  if (!run) return Error{"cannot start " + python + ": " + run.error()};
  return std::make_pair(run->output, run->exited_zero);
}

}  // namespace

std::string check_python_plugins(const Selection& selection,
                                 const std::string& python_command,
                                 const std::string& package_dir) {
  std::string requests;
  for (const SelectedPlugin& plugin : selection.chain) {
    if (plugin.python_class.empty()) continue;
    requests += (requests.empty() ? "" : ", ") + plugin_request_json(plugin);
  }
  if (requests.empty()) return "";
  auto python = probe_interpreter(python_command);
  if (!python) {
    return "pyhooks: error: cannot check the plugins written in Python with " +
           python_command + ": " + python.error();
  }
  auto result = run_check(python->path, "[" + requests + "]", package_dir);
  if (!result) return "pyhooks: error: " + result.error();
  if (result->second) return "";
  std::string line = result->first.substr(0, result->first.find('\n'));
  return "pyhooks: error: " +
         (line.empty() ? "the plugins written in Python did not start" : line);
}

}  // namespace pyhooks
