// cli/interpreter.h - finding and probing the Python that `pyhooks run`
// starts.
//
// Each interpreter is run once (`python -I -S -c ...`, stdin from /dev/null,
// no PYTHON* variables, output bounded)
// to learn its implementation, version and extension suffix before pyhooks
// commits to exec'ing it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "loader/result.h"

namespace pyhooks {

struct Interpreter {
  std::string command;         // as the user named it
  std::string path;            // the file to exec (command found in PATH)
  std::string executable;      // its sys.executable
  std::string implementation;  // sys.implementation.name ("cpython")
  int major = 0;
  int minor = 0;
  int micro = 0;
  uint32_t hexversion = 0;  // sys.hexversion (PY_VERSION_HEX)
  std::string ext_suffix;   // sysconfig EXT_SUFFIX
  std::string soabi;        // sysconfig SOABI

  std::string version() const;  // "3.12.1"
  // Empty when pyhooks supports it, else the one-line reason.
  std::string unsupported_reason() const;
};

// `command` if it contains a '/', else the first match in $PATH.
Result<std::string> find_executable(const std::string& command);

Result<Interpreter> probe_interpreter(const std::string& command);

// The interpreter used when neither --python nor the configuration names
// one: $PYHOOKS_PYTHON (set by the `pyhooks` a wheel installs, to the
// interpreter it was installed for), else python3.
std::string default_python_command();

// Where `pyhooks info` looks, as cmake/PyhooksPythons.cmake does:
// python3 and python3.11/3.12/3.13 in every $PATH directory and in every
// pyenv version ($PYENV_ROOT, default ~/.pyenv).
std::vector<std::string> interpreter_candidates();

}  // namespace pyhooks
