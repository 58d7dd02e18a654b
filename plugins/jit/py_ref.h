// plugins/jit/py_ref.h - an owned reference to a Python object.
//
// The plugin is one binary for every CPython minor it holds, compiled
// against one minor's <Python.h>; the reference-count macros inline that
// minor's object layout (3.12 made some objects immortal), so this file and
// everything in the plugin uses the function forms Py_IncRef/Py_DecRef,
// which are right on every minor. Never Py_INCREF/Py_DECREF here.
#pragma once

#include "python_data.h"

#include <utility>

namespace jit {

class Ref {
 public:
  Ref() = default;
  static Ref steal(PyObject* object) { return Ref(object); }
  static Ref borrow(PyObject* object) {
    Py_IncRef(object);
    return Ref(object);
  }
  Ref(const Ref& other) : object_(other.object_) { Py_IncRef(object_); }
  Ref(Ref&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  Ref& operator=(Ref other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~Ref() { Py_DecRef(object_); }

  PyObject* get() const { return object_; }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  explicit Ref(PyObject* object) : object_(object) {}
  PyObject* object_ = nullptr;
};

}  // namespace jit
