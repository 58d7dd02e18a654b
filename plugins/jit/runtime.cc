// plugins/jit/runtime.cc - the helpers compiled code calls (runtime.h).
#include "runtime.h"

#include <Python.h>

#include <cmath>

#include "native_heap.h"

namespace jit {

extern "C" {

int32_t pyhooks_jit_poll(NativeContext*) {
  return PyErr_CheckSignals() == 0 ? kNativeOk : kNativeError;
}

// float.__mod__: the result has the sign of the divisor; a zero result is
// a zero of the divisor's sign.
double pyhooks_jit_float_mod(double x, double y) {
  double mod = std::fmod(x, y);
  if (mod != 0.0) {
    if ((y < 0) != (mod < 0)) mod += y;
  } else {
    mod = std::copysign(0.0, y);
  }
  return mod;
}

// float.__floordiv__: floor of the exact quotient, computed from fmod as
// float.__divmod__ does, so that x == (x // y) * y + x % y holds closely.
double pyhooks_jit_float_floordiv(double x, double y) {
  double mod = std::fmod(x, y);
  double div = (x - mod) / y;
  if (mod != 0.0 && (y < 0) != (mod < 0)) div -= 1.0;
  if (div != 0.0) {
    double floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
    return floordiv;
  }
  return std::copysign(0.0, x / y);
}

// float.__pow__ for the cases with a float result and no exception; the
// rest (zero or non-finite operands, a negative base with a fractional
// exponent, overflow) are the interpreter's.
int32_t pyhooks_jit_float_pow(double x, double y, double* out) {
  if (y == 0.0) {
    *out = 1.0;
    return kNativeOk;
  }
  if (!std::isfinite(x) || !std::isfinite(y) || x == 0.0) return kNativeDeopt;
  bool negate = false;
  if (x < 0.0) {
    if (y != std::floor(y)) return kNativeDeopt;  // a complex result
    negate = std::fmod(std::fabs(y), 2.0) == 1.0;
    x = -x;
  }
  double r = x == 1.0 ? 1.0 : std::pow(x, y);
  if (!std::isfinite(r)) return kNativeDeopt;  // OverflowError
  *out = negate ? -r : r;
  return kNativeOk;
}

// int.__pow__ with a non-negative exponent and a result in 64 bits.
int32_t pyhooks_jit_int_pow(int64_t x, int64_t y, int64_t* out) {
  if (y < 0) return kNativeDeopt;  // a float result
  int64_t result = 1;
  int64_t base = x;
  while (y > 0) {
    if (y & 1) {
      if (__builtin_mul_overflow(result, base, &result)) return kNativeDeopt;
    }
    y >>= 1;
    if (y > 0 && __builtin_mul_overflow(base, base, &base)) return kNativeDeopt;
  }
  *out = result;
  return kNativeOk;
}

// ---- lists ---------------------------------------------------------------

namespace {

// The entry's heap, made at its first use (most entries never need one);
// the plugin undoes and deletes it when the entry returns.
NativeHeap* heap_of(NativeContext* context) {
  if (context->heap == nullptr) context->heap = new NativeHeap();
  return context->heap;
}

// A created list for the heap, or nullptr with no exception left set (the
// interpreter raises it again when it reruns the frame).
PyObject* adopted(NativeContext* context, PyObject* list) {
  if (list == nullptr) {
    PyErr_Clear();
    return nullptr;
  }
  heap_of(context)->adopt(list);
  return list;
}

// Python's index rules: negative from the end; false if out of range.
bool normalize(PyObject* list, int64_t* index) {
  int64_t size = PyList_Size(list);
  if (*index < 0) *index += size;
  return *index >= 0 && *index < size;
}

int32_t store(NativeContext* context, PyObject* list, int64_t index,
              PyObject* item) {
  if (item == nullptr) {
    PyErr_Clear();
    return kNativeDeopt;
  }
  if (!normalize(list, &index)) {
    Py_DecRef(item);
    return kNativeDeopt;  // IndexError: list assignment index out of range
  }
  heap_of(context)->store(list, index, item);
  return kNativeOk;
}

}  // namespace

PyObject* pyhooks_jit_list_new(NativeContext* context, int64_t size) {
  return adopted(context, PyList_New(static_cast<Py_ssize_t>(size)));
}

PyObject* pyhooks_jit_list_repeat(NativeContext* context, PyObject* list,
                                  int64_t count) {
  if (count > PY_SSIZE_T_MAX) return nullptr;
  return adopted(context,
                 PySequence_Repeat(list, static_cast<Py_ssize_t>(count)));
}

PyObject* pyhooks_jit_list_concat(NativeContext* context, PyObject* a,
                                  PyObject* b) {
  return adopted(context, PySequence_Concat(a, b));
}

int32_t pyhooks_jit_list_init_int(PyObject* list, int64_t index, int64_t v) {
  PyObject* item = PyLong_FromLongLong(v);
  if (item == nullptr) {
    PyErr_Clear();
    return kNativeDeopt;
  }
  PyList_SetItem(list, static_cast<Py_ssize_t>(index), item);
  return kNativeOk;
}

int32_t pyhooks_jit_list_init_float(PyObject* list, int64_t index, double v) {
  PyObject* item = PyFloat_FromDouble(v);
  if (item == nullptr) {
    PyErr_Clear();
    return kNativeDeopt;
  }
  PyList_SetItem(list, static_cast<Py_ssize_t>(index), item);
  return kNativeOk;
}

int32_t pyhooks_jit_list_store_int(NativeContext* context, PyObject* list,
                                   int64_t index, int64_t v) {
  return store(context, list, index, PyLong_FromLongLong(v));
}

int32_t pyhooks_jit_list_store_float(NativeContext* context, PyObject* list,
                                     int64_t index, double v) {
  return store(context, list, index, PyFloat_FromDouble(v));
}

int32_t pyhooks_jit_list_store_bool(NativeContext* context, PyObject* list,
                                    int64_t index, int64_t v) {
  return store(context, list, index, PyBool_FromLong(v != 0));
}

int32_t pyhooks_jit_unbox_int(PyObject* item, int64_t* out) {
  if (!PyLong_CheckExact(item)) return kNativeDeopt;
  int overflow = 0;
  long long value = PyLong_AsLongLongAndOverflow(item, &overflow);
  if (overflow != 0) return kNativeDeopt;
  *out = value;
  return kNativeOk;
}

int64_t pyhooks_jit_heap_mark(NativeContext* context) {
  return context->heap == nullptr ? 0 : context->heap->mark();
}

void pyhooks_jit_heap_release(NativeContext* context, int64_t mark) {
  if (context->heap != nullptr) context->heap->release_to(mark);
}

const void* pyhooks_jit_float_type() { return &PyFloat_Type; }

}  // extern "C"

}  // namespace jit
