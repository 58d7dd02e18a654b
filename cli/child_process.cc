// cli/child_process.cc - posix_spawn with a pipe for the child's output.
#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace pyhooks {

namespace {

std::vector<char*> pointers(std::vector<std::string>& items) {
  std::vector<char*> out;
  for (std::string& item : items) out.push_back(item.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Result<CapturedRun> run_captured(const std::vector<std::string>& args,
                                 const std::vector<std::string>& env,
                                 const CaptureOptions& options) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) {
    return Error{std::string("cannot create a pipe: ") + std::strerror(errno)};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (options.capture_stdout) {
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[1]);
  std::vector<std::string> argv_items = args;
  std::vector<std::string> env_items = env;
  std::vector<char*> argv = pointers(argv_items);
  std::vector<char*> envp = pointers(env_items);
  pid_t pid = 0;
  int status = posix_spawn(&pid, argv_items[0].c_str(), &actions, nullptr,
                           argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (status != 0) {
    close(pipe_fds[0]);
    return Error{std::strerror(status)};
  }
  CapturedRun run;
  char buffer[4096];
  ssize_t got = 0;
  while ((got = read(pipe_fds[0], buffer, sizeof(buffer))) != 0) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    size_t room = options.limit - run.output.size();
    size_t taken = std::min(room, static_cast<size_t>(got));
    run.output.append(buffer, taken);
    if (taken < static_cast<size_t>(got)) {
      run.overflowed = true;
      if (options.kill_on_overflow) {
        kill(pid, SIGKILL);
        break;
      }
    }
  }
  close(pipe_fds[0]);
  int wait_status = 0;
  while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
  }
  run.exited_zero = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  return run;
}

}  // namespace pyhooks
