// plugins/jit/runtime.h - what compiled code calls and the context it gets.
//
// Compiled functions return a status (kNativeOk, kNativeDeopt: run the frame
// in the interpreter from the start; kNativeError: a Python exception is set,
// from a signal handler run at a loop back-edge). The helpers hold the
// semantics that are easier to state in C++ than in LLVM IR (float // and %,
// **), exactly as CPython's float and int objects define them; a helper
// returning kNativeDeopt means "the interpreter decides" (an exception, a
// result of another type).
#pragma once

#include <cstdint>

struct _object;
typedef struct _object PyObject;

namespace jit {

class NativeHeap;

constexpr int32_t kNativeOk = 0;
constexpr int32_t kNativeDeopt = 1;
constexpr int32_t kNativeError = 2;

// One per entry into compiled code (on the C stack of the evaluate call).
struct NativeContext {
  int64_t depth_budget;  // native calls allowed before a deopt (recursion
                         // limit, C stack); compiled code passes the rest
                         // down as an argument
  NativeHeap* heap;      // created lists, the undo log of list stores:
                         // nullptr until a helper needs it (native_heap.h)
};

// The entry every compiled unit exports: arguments as 8-byte slots (int and
// bool as int64, float as double, a list or tuple as its PyObject*), the
// result into *result likewise.
using NativeEntry = int32_t (*)(const uint64_t* args, uint64_t* result,
                                NativeContext* context);

extern "C" {
// Runs pending signal handlers (PyErr_CheckSignals): kNativeOk, or
// kNativeError with the handler's exception set.
int32_t pyhooks_jit_poll(NativeContext* context);
double pyhooks_jit_float_mod(double x, double y);       // y != 0
double pyhooks_jit_float_floordiv(double x, double y);  // y != 0
int32_t pyhooks_jit_float_pow(double x, double y, double* out);
int32_t pyhooks_jit_int_pow(int64_t x, int64_t y, int64_t* out);

// Lists (native_heap.h). A created list belongs to the context's heap; a
// nullptr result or a kNativeDeopt status means the interpreter decides
// (MemoryError, an index out of range, an element of another type).
PyObject* pyhooks_jit_list_new(NativeContext* context, int64_t size);
PyObject* pyhooks_jit_list_repeat(NativeContext* context, PyObject* list,
                                  int64_t count);
PyObject* pyhooks_jit_list_concat(NativeContext* context, PyObject* a,
                                  PyObject* b);
// Fills item `index` of a list pyhooks_jit_list_new made.
int32_t pyhooks_jit_list_init_int(PyObject* list, int64_t index, int64_t v);
int32_t pyhooks_jit_list_init_float(PyObject* list, int64_t index, double v);
// list[index] = v with Python's index rules (negative from the end); the
// replaced item is kept for a deopt's undo.
int32_t pyhooks_jit_list_store_int(NativeContext* context, PyObject* list,
                                   int64_t index, int64_t v);
int32_t pyhooks_jit_list_store_float(NativeContext* context, PyObject* list,
                                     int64_t index, double v);
int32_t pyhooks_jit_list_store_bool(NativeContext* context, PyObject* list,
                                    int64_t index, int64_t v);
// An element read as an int: kNativeDeopt unless an exact int in 64 bits.
int32_t pyhooks_jit_unbox_int(PyObject* item, int64_t* out);
// The lists created since `mark` are released (their frame returns).
int64_t pyhooks_jit_heap_mark(NativeContext* context);
void pyhooks_jit_heap_release(NativeContext* context, int64_t mark);
// The addresses compiled code compares element types with.
const void* pyhooks_jit_float_type();
}

}  // namespace jit
