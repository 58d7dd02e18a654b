// plugins/jit/ir.h - the version-neutral IR the per-minor decoders produce.
//
// One instruction per bytecode instruction that does something (CACHE,
// EXTENDED_ARG, RESUME, NOP are gone; the 3.13 superinstructions are split),
// still a stack machine: the type inference (type_infer.h) and the code
// generator (codegen.h) walk it with a statically known stack. Jump targets
// are indices into Function::code, never byte offsets, so nothing after the
// decoder knows which CPython minor the bytecode came from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jit::ir {

enum class Op : uint8_t {
  kLoadLocal,       // arg: local index; push it
  kStoreLocal,      // arg: local index; pop into it
  kLoadConst,       // arg: index into Function::consts
  kLoadGlobal,      // arg: index into Function::names; push the global/builtin
  kLoadAttr,        // arg: index into names; replace TOS by TOS.<name>
  kPushNull,        // push the NULL a call sequence carries (any minor)
  kBinary,          // arg: BinaryKind; pop b, pop a, push a OP b
  kUnary,           // arg: UnaryKind
  kCompare,         // arg: CompareKind; pop b, pop a, push a OP b (a bool)
  kToBool,          // TOS = bool(TOS)
  kJump,            // target
  kPopJumpIfFalse,  // pop; jump to target if false
  kPopJumpIfTrue,   // pop; jump to target if true
  kJumpIfFalseOrPop,  // if TOS false jump (keep it) else pop
  kJumpIfTrueOrPop,   // if TOS true jump (keep it) else pop
  kGetIter,           // TOS = iter(TOS)
  kForIter,           // push next(TOS), or pop the iterator and jump to target
  kCall,              // arg: argc; pop args, pop the callable and its NULL
  kReturn,            // return TOS
  kPopTop,
  kCopy,            // arg: n >= 1; push a copy of the n-th item (1 = TOS)
  kSwap,            // arg: n >= 2; swap TOS with the n-th item
  kSubscr,          // pop index, pop container, push container[index]
  kStoreSubscr,     // pop index, pop container, pop value: container[index] =
                    // value
  kBuildList,       // arg: n; pop n items, push a new list of them
  kUnpackSequence,  // arg: n; pop a list or tuple of n items, push them
                    // last first (item 0 on top)
};

enum class BinaryKind : uint8_t {
  kAdd,
  kSub,
  kMul,
  kTrueDiv,
  kFloorDiv,
  kMod,
  kPow,
  kAnd,
  kOr,
  kXor,
  kLshift,
  kRshift,
};
enum class UnaryKind : uint8_t { kNegative, kPositive, kNot, kInvert };
// Same numbering as CPython's Py_LT .. Py_GE.
enum class CompareKind : uint8_t { kLt, kLe, kEq, kNe, kGt, kGe };

struct Instr {
  Op op;
  int32_t arg = 0;
  int32_t target = -1;  // jumps and kForIter: index into Function::code
  int32_t line = 0;     // source line, for dumps and decline reasons
};

// A constant the subset can use; anything else is kOther (it declines only
// if an instruction the subset compiles actually loads it).
struct Constant {
  enum Kind : uint8_t { kInt, kFloat, kBool, kNone, kOther } kind = kOther;
  int64_t i = 0;
  double f = 0;
};

struct Function {
  std::string qualname;
  int32_t arg_count = 0;
  int32_t local_count = 0;
  std::vector<std::string> local_names;
  std::vector<std::string> names;  // co_names
  std::vector<Constant> consts;
  std::vector<Instr> code;
};

const char* op_name(Op op);
std::string dump(const Function& function);

}  // namespace jit::ir
