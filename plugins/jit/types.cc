// plugins/jit/types.cc - names of kinds, builtins and math functions.
#include "types.h"

namespace jit {

namespace {

const char* const kBuiltinNames[] = {"range", "abs",  "min",   "max", "int",
                                     "float", "bool", "round", "len"};
const char* const kMathNames[] = {
    "sqrt",  "exp",   "log",      "log2",  "log10", "sin",     "cos",
    "tan",   "asin",  "acos",     "atan",  "sinh",  "cosh",    "tanh",
    "expm1", "log1p", "fabs",     "floor", "ceil",  "trunc",   "atan2",
    "pow",   "fmod",  "copysign", "isnan", "isinf", "isfinite"};
static_assert(sizeof(kBuiltinNames) / sizeof(*kBuiltinNames) ==
              static_cast<size_t>(Builtin::kCount));
static_assert(sizeof(kMathNames) / sizeof(*kMathNames) ==
              static_cast<size_t>(MathFunc::kCount));

}  // namespace

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kUnvisited:
      return "unreached";
    case Kind::kUnknown:
      return "unknown";
    case Kind::kUnbound:
      return "unbound";
    case Kind::kMixed:
      return "of different types on different paths";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kBool:
      return "bool";
    case Kind::kNone:
      return "None";
    case Kind::kNull:
      return "NULL";
    case Kind::kFunction:
      return "function";
    case Kind::kBuiltin:
      return "builtin";
    case Kind::kMathFunc:
      return "math function";
    case Kind::kModule:
      return "module";
    case Kind::kRange:
      return "range";
    case Kind::kRangeIter:
      return "range iterator";
    case Kind::kSequenceIter:
      return "list or tuple iterator";
    case Kind::kListInt:
      return "list of ints";
    case Kind::kListFloat:
      return "list of floats";
    case Kind::kTupleInt:
      return "tuple of ints";
    case Kind::kTupleFloat:
      return "tuple of floats";
  }
  return "?";
}

const char* builtin_name(Builtin builtin) {
  return kBuiltinNames[static_cast<int>(builtin)];
}

const char* math_name(MathFunc func) {
  return kMathNames[static_cast<int>(func)];
}

int32_t math_by_name(const std::string& name) {
  for (int32_t i = 0; i < static_cast<int32_t>(MathFunc::kCount); ++i) {
    if (name == kMathNames[i]) return i;
  }
  return -1;
}

int32_t builtin_by_name(const std::string& name) {
  for (int32_t i = 0; i < static_cast<int32_t>(Builtin::kCount); ++i) {
    if (name == kBuiltinNames[i]) return i;
  }
  return -1;
}

}  // namespace jit
