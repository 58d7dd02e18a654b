// host/runtime/ref.h - reference ownership of PyObject* as types.
//
// Ref<T> owns one strong reference and releases it when destroyed;
// BorrowedRef<T> names a pointer that is borrowed (someone else keeps it
// alive) where a bare `PyObject*` would leave the reader guessing, e.g. the
// result of PyDict_GetItem*. A raw `PyObject*` parameter or field in the host
// is always borrowed. Functions that return a new reference return Ref (and
// release it only at the C boundary); functions that steal one take Ref&&.
// Ref<>::steal takes over a new reference, Ref<>::create adds one. (After
// CinderX's Ref / BorrowedRef.)
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
  // Adds a reference to a borrowed pointer (which may be NULL).
  static Ref create(T* ptr) {
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

// A borrowed pointer: never released, never counted. Converts to T* so
// that it passes straight to the C API.
template <typename T = PyObject>
class BorrowedRef {
 public:
  BorrowedRef() = default;
  BorrowedRef(T* ptr) : ptr_(ptr) {}  // NOLINT: implicit, as a T* is
  BorrowedRef(const Ref<T>& owner) : ptr_(owner.get()) {}  // NOLINT

  T* get() const { return ptr_; }
  operator T*() const { return ptr_; }
  explicit operator bool() const { return ptr_ != nullptr; }

 private:
  T* ptr_ = nullptr;
};

}  // namespace pyhooks
