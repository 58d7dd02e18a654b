// plugins/jit/runtime.cc - the helpers compiled code calls (runtime.h).
#include "runtime.h"

#include <Python.h>

#include <cmath>

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

}  // extern "C"

}  // namespace jit
