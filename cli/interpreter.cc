// cli/interpreter.cc - PATH lookup, probing, discovery.
#include "interpreter.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <system_error>

#include "child_process.h"

extern char** environ;

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

// Python 2.7-compatible, so that an old interpreter gets a clear message.
constexpr const char* kProbe =
    "import sys, sysconfig\n"
    "i = getattr(sys, 'implementation', None)\n"
    "print('pyhooks-probe')\n"
    "print(i.name if i else 'cpython')\n"
    "print('%d %d %d' % tuple(sys.version_info[:3]))\n"
    "print(sys.hexversion)\n"
    "print(sysconfig.get_config_var('EXT_SUFFIX') or '')\n"
    "print(sysconfig.get_config_var('SOABI') or '')\n"
    "print(sys.executable)\n";

bool is_executable_file(const std::string& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && access(path.c_str(), X_OK) == 0;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

// At most this much of the probe's output is read; an interpreter that
// prints more is not answering the probe.
constexpr size_t kProbeOutputLimit = 64 * 1024;

// The environment of the probe: ours without what would make the
// interpreter print or run anything else (PYTHONVERBOSE,
// PYTHONPROFILEIMPORTTIME, PYTHONMALLOCSTATS, PYTHONSTARTUP, ...: every
// PYTHON* variable) or start plugins in it (an enclosing pyhooks run).
std::vector<std::string> probe_environment() {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string item = *entry;
    if (item.rfind("PYTHON", 0) == 0 ||
        item.rfind("PYHOOKS_RUN_SPEC=", 0) == 0 ||
        item.rfind("PYHOOKS_STACK_RLIMIT=", 0) == 0) {
      continue;
    }
    env.push_back(item);
  }
  return env;
}

// Runs `path -I -S -c kProbe` (isolated: no site, no user directories, no
// PYTHON* variables); its stdout and stderr (at most kProbeOutputLimit
// bytes), and whether it exited with status 0.
Result<std::pair<std::string, bool>> run_probe(const std::string& path) {
  CaptureOptions options;
  options.limit = kProbeOutputLimit;
  options.kill_on_overflow = true;
  auto run = run_captured({path, "-I", "-S", "-c", kProbe}, probe_environment(),
                          options);
  if (!run) return Error{"cannot start it: " + run.error()};
  if (run->overflowed) {
    return Error{"it printed more than " +
                 std::to_string(kProbeOutputLimit / 1024) +
                 " KiB instead of answering the probe"};
  }
  return std::make_pair(run->output, run->exited_zero);
}

}  // namespace

std::string Interpreter::version() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." +
         std::to_string(micro);
}

std::string Interpreter::unsupported_reason() const {
  bool cpython = implementation == "cpython";
  if (cpython && major == 3 && minor >= 11 && minor <= 13) {
    return {};
  }
  std::string name = cpython ? "CPython" : implementation;
  return command + " is " + name + " " + std::to_string(major) + "." +
         std::to_string(minor) +
         "; pyhooks supports CPython 3.11, 3.12 and 3.13";
}

Result<std::string> find_executable(const std::string& command) {
  if (command.find('/') != std::string::npos) {
    if (!is_executable_file(command)) {
      return Error{"'" + command + "' is not an executable file"};
    }
    return command;
  }
  const char* path = std::getenv("PATH");
  for (const std::string& dir : split(path ? path : "", ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + command;
    if (is_executable_file(candidate)) {
      return candidate;
    }
  }
  return Error{"'" + command + "' is not in PATH"};
}

Result<Interpreter> probe_interpreter(const std::string& command) {
  auto path = find_executable(command);
  if (!path) {
    return Error{path.error()};
  }
  auto run = run_probe(*path);
  if (!run) {
    return Error{"cannot run '" + command + "': " + run.error()};
  }
  const auto& [output, ok] = run.value();
  std::vector<std::string> lines = split(output, '\n');
  size_t start = 0;
  while (start < lines.size() && lines[start] != "pyhooks-probe") ++start;
  if (!ok || lines.size() < start + 7) {
    std::string first = lines.empty() ? "no output" : lines.front();
    if (first.size() > 200) first = first.substr(0, 200) + "...";
    return Error{"'" + command + "' did not run as a Python interpreter (" +
                 first + ")"};
  }
  Interpreter interpreter;
  interpreter.command = command;
  interpreter.path = *path;
  interpreter.implementation = lines[start + 1];
  std::istringstream(lines[start + 2]) >> interpreter.major >>
      interpreter.minor >> interpreter.micro;
  interpreter.hexversion = static_cast<uint32_t>(
      std::strtoul(lines[start + 3].c_str(), nullptr, 10));
  interpreter.ext_suffix = lines[start + 4];
  interpreter.soabi = lines[start + 5];
  interpreter.executable = lines[start + 6];
  return interpreter;
}

std::vector<std::string> interpreter_candidates() {
  std::vector<std::string> dirs;
  const char* path = std::getenv("PATH");
  for (const std::string& dir : split(path ? path : "", ':')) {
    if (!dir.empty()) dirs.push_back(dir);
  }
  std::string pyenv_root;
  if (const char* root = std::getenv("PYENV_ROOT")) {
    pyenv_root = root;
  } else if (const char* home = std::getenv("HOME")) {
    pyenv_root = std::string(home) + "/.pyenv";
  }
  std::error_code error;
  std::vector<std::string> versions;
  for (fs::directory_iterator it(pyenv_root + "/versions", error), end;
       !error && it != end; it.increment(error)) {
    versions.push_back((it->path() / "bin").string());
  }
  std::sort(versions.begin(), versions.end());
  dirs.insert(dirs.end(), versions.begin(), versions.end());

  std::vector<std::string> candidates;
  for (const std::string& dir : dirs) {
    for (const char* name :
         {"python3", "python3.11", "python3.12", "python3.13"}) {
      std::string candidate = dir + "/" + name;
      if (is_executable_file(candidate)) candidates.push_back(candidate);
    }
  }
  return candidates;
}

std::string default_python_command() {
  const char* named = std::getenv("PYHOOKS_PYTHON");
  return named != nullptr && named[0] != '\0' ? named : "python3";
}

}  // namespace pyhooks
