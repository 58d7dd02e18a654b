// cli/python_plugin_check.cc - starting each Python plugin once, in a
// throw-away interpreter, to learn whether `pyhooks run` could.
#include "python_plugin_check.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

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
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    return Error{std::string("cannot create a pipe: ") + std::strerror(errno)};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<std::string> args = {python, "-c", kScript, requests};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_items = child_environment(package_dir);
  std::vector<char*> envp;
  for (std::string& item : env_items) envp.push_back(item.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  int status = posix_spawn(&pid, python.c_str(), &actions, nullptr, argv.data(),
                           envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (status != 0) {
    close(pipe_fds[0]);
    return Error{std::string("cannot start ") + python + ": " +
                 std::strerror(status)};
  }
  std::string output;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = read(pipe_fds[0], buffer, sizeof(buffer))) != 0) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    if (output.size() < kOutputLimit) {
      output.append(buffer, static_cast<size_t>(got));
    }
  }
  close(pipe_fds[0]);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  bool ok = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  return std::make_pair(output, ok);
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
