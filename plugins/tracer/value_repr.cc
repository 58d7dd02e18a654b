// plugins/tracer/value_repr.cc - repr() for captured values (see
// value_repr.h). The limited API of 3.11, so one binary serves every minor.
#include "value_repr.h"

#include "capture.h"

#define Py_LIMITED_API 0x030B0000
#include <Python.h>

namespace tracer {

namespace {

// The thread's exception, set aside for a scope and put back at its end
// (whatever was raised inside is dropped): the plugin's own ErrorStash.
class StashedError {
 public:
  StashedError() { PyErr_Fetch(&type_, &value_, &traceback_); }
  ~StashedError() {
    PyErr_Clear();
    PyErr_Restore(type_, value_, traceback_);  // steals the three
  }
  StashedError(const StashedError&) = delete;
  StashedError& operator=(const StashedError&) = delete;

 private:
  PyObject* type_ = nullptr;
  PyObject* value_ = nullptr;
  PyObject* traceback_ = nullptr;
};

// "<repr failed: TypeError>" for the exception now set, which it clears.
void append_failure(pyhooks_plugin* self, std::string* out) {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyErr_Clear();
  char name[128] = "exception";
  if (value != nullptr) {
    self->api->value_type_name(self, value, name, sizeof(name));
  }
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  out->append("<repr failed: ");
  out->append(name);
  out->append(">");
}

}  // namespace

void append_repr(pyhooks_plugin* self, struct _object* value, uint32_t limit,
                 std::string* out) {
  if (value == nullptr) {
    out->append("<unbound>");
    return;
  }
  StashedError stash;
  PyObject* text = PyObject_Repr(value);
  if (text == nullptr) {
    append_failure(self, out);
    return;
  }
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(text, &size);
  if (utf8 == nullptr) {  // lone surrogates
    Py_DECREF(text);
    append_failure(self, out);
    return;
  }
  std::string piece(utf8, static_cast<size_t>(size));
  Py_DECREF(text);
  cut_utf8(&piece, limit);
  out->append(piece);
}

}  // namespace tracer
