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

namespace jit {

constexpr int32_t kNativeOk = 0;
constexpr int32_t kNativeDeopt = 1;
constexpr int32_t kNativeError = 2;

// One per entry into compiled code (on the C stack of the evaluate call).
struct NativeContext {
  int64_t depth;        // native call depth so far
  int64_t depth_limit;  // deopt beyond this (recursion limit, C stack)
};

// The entry every compiled unit exports: arguments as 8-byte slots (int and
// bool as int64, float as double), the result into *result likewise.
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
}

}  // namespace jit
