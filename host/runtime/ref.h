// host/runtime/ref.h - reference ownership of PyObject* as types.
//
// Ref<T> owns one strong reference and releases it when destroyed; a raw
// `PyObject*` parameter or field in the host is always borrowed. Functions
// that return a new reference return Ref; functions that steal one take
// Ref&&. (After CinderX's Ref / BorrowedRef.)
#pragma once

#include <Python.h>

#include <utility>

namespace pyhooks {

template <typename T = PyObject>
class Ref {
 public:
  Ref() = default;
  ~Ref() { Py_XDECREF(ptr_); }

  // Takes ownership of a new reference (e.g. the result of a Py*_New call).
  static Ref steal(T* ptr) { return Ref(ptr); }
  // Adds a reference to a borrowed pointer.
  static Ref borrow(T* ptr) {
    Py_XINCREF(ptr);
    return Ref(ptr);
  }

  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  Ref(Ref&& other) noexcept : ptr_(std::exchange(other.ptr_, nullptr)) {}
  Ref& operator=(Ref&& other) noexcept {
    if (this != &other) {
      Py_XDECREF(ptr_);
      ptr_ = std::exchange(other.ptr_, nullptr);
    }
    return *this;
  }

  T* get() const { return ptr_; }
  explicit operator bool() const { return ptr_ != nullptr; }
  // Gives up ownership: the caller now owns the reference.
  T* release() { return std::exchange(ptr_, nullptr); }

 private:
  explicit Ref(T* ptr) : ptr_(ptr) {}
  T* ptr_ = nullptr;
};

}  // namespace pyhooks
