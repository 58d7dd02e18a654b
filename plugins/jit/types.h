// plugins/jit/types.h - what the type inference knows about a value.
//
// Runtime kinds (int, float, bool, a range, lists and tuples, and their
// iterators) have machine representations in compiled code; the others (a
// function, a builtin, a math function, the math module, None, the NULL of a
// call sequence) are compile-time facts with no code at all: the entry
// guards make them true.
#pragma once

#include <cstdint>
#include <string>

namespace jit {

enum class Kind : uint8_t {
  kUnvisited,  // no path reached here yet (inference-internal)
  kUnknown,    // the result of a call whose return type is still being found
  kUnbound,    // a local not assigned on some path
  kMixed,      // a local with different kinds on different paths
  kInt,        // 64-bit in machine code; wider values deopt
  kFloat,
  kBool,
  kNone,
  kNull,
  kFunction,  // ref: index into Unit::functions (a module-level function)
  kBuiltin,   // ref: Builtin
  kMathFunc,  // ref: MathFunc
  kModule,    // the math module
  kRange,     // range(start, stop, step)
  kRangeIter,
  kSequenceIter,  // iter(list or tuple); ref: the sequence's Kind
  // Borrowed or frame-owned list/tuple objects (a PyObject* in an i64),
  // named by the element kind compiled code expects; every element read
  // checks the element's type and deopts on another (sequence_kinds.h).
  kListInt,
  kListFloat,
  kTupleInt,
  kTupleFloat,
};

enum class Builtin : int32_t {
  kRange,
  kAbs,
  kMin,
  kMax,
  kInt,
  kFloat,
  kBool,
  kRound,
  kLen,
  kCount
};

enum class MathFunc : int32_t {
  kSqrt,
  kExp,
  kLog,
  kLog2,
  kLog10,
  kSin,
  kCos,
  kTan,
  kAsin,
  kAcos,
  kAtan,
  kSinh,
  kCosh,
  kTanh,
  kExpm1,
  kLog1p,
  kFabs,
  kFloor,
  kCeil,
  kTrunc,
  kAtan2,
  kPow,
  kFmod,
  kCopysign,
  kIsnan,
  kIsinf,
  kIsfinite,
  kCount
};

struct Value {
  Kind kind = Kind::kUnvisited;
  int32_t ref = 0;
  bool operator==(const Value& other) const {
    return kind == other.kind && ref == other.ref;
  }
  bool operator!=(const Value& other) const { return !(*this == other); }
};

inline bool is_number(Kind kind) {
  return kind == Kind::kInt || kind == Kind::kFloat || kind == Kind::kBool;
}
inline bool is_list(Kind kind) {
  return kind == Kind::kListInt || kind == Kind::kListFloat;
}
inline bool is_tuple(Kind kind) {
  return kind == Kind::kTupleInt || kind == Kind::kTupleFloat;
}
inline bool is_sequence(Kind kind) { return is_list(kind) || is_tuple(kind); }
// The kind of a sequence's elements (kInt or kFloat).
inline Kind element_kind(Kind sequence) {
  return sequence == Kind::kListFloat || sequence == Kind::kTupleFloat
             ? Kind::kFloat
             : Kind::kInt;
}
// The list kind whose elements are `element` (kInt or kFloat).
inline Kind list_of(Kind element) {
  return element == Kind::kFloat ? Kind::kListFloat : Kind::kListInt;
}
// Int and bool share the i64 representation (bool as 0/1).
inline bool is_integral(Kind kind) {
  return kind == Kind::kInt || kind == Kind::kBool;
}

const char* kind_name(Kind kind);
const char* builtin_name(Builtin builtin);
const char* math_name(MathFunc func);
// The math function or builtin named `name`, or -1.
int32_t math_by_name(const std::string& name);
int32_t builtin_by_name(const std::string& name);

}  // namespace jit
