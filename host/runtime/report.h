// host/runtime/report.h - the host's messages to the user.
//
// One line each, prefixed "pyhooks: ", written to sys.stderr (so that they
// interleave correctly with the program's own output and follow its
// redirections) or to the C stderr when Python's is gone (shutdown).
// Informational lines appear only with PYHOOKS_VERBOSE=1.
#pragma once

#include <Python.h>

#include <string>

namespace pyhooks {

void report_info(const std::string& message);
void report_warning(const std::string& message);
void report_error(const std::string& message);

// The UTF-8 text of a str object, "?" if it is not one or cannot be encoded.
std::string text_of(PyObject* text);

// "ValueError: message" for the exception currently set, which is cleared;
// "" if none is set.
std::string take_exception_text();

}  // namespace pyhooks
