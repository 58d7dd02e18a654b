// plugins/jit/guards.cc - the entry checks of guards.h.
#include "guards.h"

namespace jit {

void Guards::add_name(NameGuard guard) {
  for (const NameGuard& known : names_) {
    if (known.dict.get() == guard.dict.get() &&
        PyUnicode_Compare(known.name.get(), guard.name.get()) == 0) {
      return;
    }
  }
  names_.push_back(std::move(guard));
}

void Guards::add_code(PyObject* function, PyObject* code) {
  for (const CodeGuard& known : codes_) {
    if (known.function.get() == function) return;
  }
  codes_.push_back({Ref::borrow(function), Ref::borrow(code)});
}

bool Guards::hold() const {
  for (const NameGuard& guard : names_) {
    PyObject* bound =
        PyDict_GetItemWithError(guard.dict.get(), guard.name.get());
    if (bound != guard.expected.get()) {
      PyErr_Clear();
      return false;
    }
    if (guard.absent_from &&
        PyDict_GetItemWithError(guard.absent_from.get(), guard.name.get()) !=
            nullptr) {
      return false;
    }
    if (PyErr_Occurred()) {
      PyErr_Clear();
      return false;
    }
  }
  for (const CodeGuard& guard : codes_) {
    if (PyFunction_GetCode(guard.function.get()) != guard.code.get()) {
      return false;
    }
  }
  return true;
}

}  // namespace jit
