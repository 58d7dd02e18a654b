// plugins/jit/object_layout.h - the few CPython object fields compiled code
// reads directly: a list's or tuple's size and items, an object's type, a
// float's value. The same byte offsets on 3.11, 3.12 and 3.13 (default,
// non-free-threaded builds): each per-minor thread_state_3XX.cc checks them
// against that minor's headers with static_asserts, so a minor that moves
// one fails to build instead of reading the wrong field.
#pragma once

#include <cstddef>
#include <cstdint>

namespace jit::layout {

constexpr int64_t kObjectType = 8;   // PyObject.ob_type
constexpr int64_t kVarSize = 16;     // PyVarObject.ob_size (len)
constexpr int64_t kListItems = 24;   // PyListObject.ob_item (PyObject**)
constexpr int64_t kTupleItems = 24;  // PyTupleObject.ob_item[] (inline)
constexpr int64_t kFloatValue = 16;  // PyFloatObject.ob_fval

}  // namespace jit::layout

// For the per-minor files, after <Python.h>.
#define PYHOOKS_JIT_CHECK_OBJECT_LAYOUT()                                      \
  static_assert(offsetof(PyObject, ob_type) == jit::layout::kObjectType);      \
  static_assert(offsetof(PyVarObject, ob_size) == jit::layout::kVarSize);      \
  static_assert(offsetof(PyListObject, ob_item) == jit::layout::kListItems);   \
  static_assert(offsetof(PyTupleObject, ob_item) == jit::layout::kTupleItems); \
  static_assert(offsetof(PyFloatObject, ob_fval) == jit::layout::kFloatValue)
