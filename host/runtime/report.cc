// host/runtime/report.cc - writing the host's messages.
#include "report.h"

#include <Python.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "../compat/compat.h"

namespace pyhooks {

namespace {

bool verbose() {
  const char* value = std::getenv("PYHOOKS_VERBOSE");
  return value != nullptr && std::strcmp(value, "") != 0 &&
         std::strcmp(value, "0") != 0;
}

void write_line(const std::string& line) {
  // Keep whatever exception is being raised; writing may run Python code.
  phc_saved_error saved{};
  phc_error_save(&saved);
  PyObject* stream = PySys_GetObject("stderr");  // borrowed
  bool written = false;
  if (stream != nullptr && stream != Py_None) {
    written = PyFile_WriteString(line.c_str(), stream) == 0;
    if (!written) {
      PyErr_Clear();
    }
  }
  if (!written) {
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }
  phc_error_restore(&saved);
}

}  // namespace

void report_info(const std::string& message) {
  if (verbose()) {
    write_line("pyhooks: " + message + "\n");
  }
}

void report_warning(const std::string& message) {
  write_line("pyhooks: warning: " + message + "\n");
}

void report_error(const std::string& message) {
  write_line("pyhooks: error: " + message + "\n");
}

}  // namespace pyhooks
