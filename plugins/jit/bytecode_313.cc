// plugins/jit/bytecode_313.cc - decodes CPython 3.13 bytecode into the IR.
// Compiled against 3.13's opcode.h/opcode_ids.h only (the opcode numbers).
// 3.13: [callable, NULL] call order (LOAD_GLOBAL pushes NULL after), the
// LOAD_FAST_LOAD_FAST family of superinstructions, COMPARE_OP oparg >> 5,
// TO_BOOL before conditional jumps, FOR_ITER's exit skipping END_FOR and
// POP_TOP.
#include <opcode.h>

#include "bytecode.h"
#include "bytecode_binary_ops.h"

#if !defined(TO_BOOL) || !defined(LOAD_FAST_LOAD_FAST)
#error "bytecode_312.cc must be compiled against CPython 3.13's opcode.h"
#endif

namespace jit {

DecodeError decode_313(const uint8_t* code, size_t size, ir::Function* out) {
  using ir::Op;
  OpcodeBuilder b(out);
  UnitReader reader(code, size, CACHE, EXTENDED_ARG);
  CodeUnit u;
  while (reader.next(&u)) {
    b.begin_unit(u.offset);
    const int32_t arg = static_cast<int32_t>(u.oparg);
    const int forward = u.next_offset + 2 * arg;
    const int backward = u.next_offset - 2 * arg;
    switch (u.opcode) {
      case RESUME:
      case NOP:
      case INTERPRETER_EXIT:
        break;
      case LOAD_FAST:
      case LOAD_FAST_CHECK:
        b.emit(Op::kLoadLocal, arg);
        break;
      case STORE_FAST:
        b.emit(Op::kStoreLocal, arg);
        break;
      case LOAD_CONST:
        b.emit(Op::kLoadConst, arg);
        break;
      case RETURN_CONST:
        b.emit(Op::kLoadConst, arg);
        b.emit(Op::kReturn);
        break;
      case RETURN_VALUE:
        b.emit(Op::kReturn);
        break;
      case LOAD_FAST_LOAD_FAST:
        b.emit(Op::kLoadLocal, arg >> 4);
        b.emit(Op::kLoadLocal, arg & 15);
        break;
      case STORE_FAST_LOAD_FAST:
        b.emit(Op::kStoreLocal, arg >> 4);
        b.emit(Op::kLoadLocal, arg & 15);
        break;
      case STORE_FAST_STORE_FAST:
        b.emit(Op::kStoreLocal, arg >> 4);
        b.emit(Op::kStoreLocal, arg & 15);
        break;
      case LOAD_GLOBAL:
        b.emit(Op::kLoadGlobal, arg >> 1);
        if (arg & 1) b.emit(Op::kPushNull);
        break;
      case LOAD_ATTR:  // the method form on a module attribute: [attr, NULL]
        b.emit(Op::kLoadAttr, arg >> 1);
        if (arg & 1) b.emit(Op::kPushNull);
        break;
      case TO_BOOL:
        b.emit(Op::kToBool);
        break;
      case PUSH_NULL:
        b.emit(Op::kPushNull);
        break;
      case CALL:
        b.emit(Op::kCall, arg);
        break;
      case BINARY_OP: {
        ir::BinaryKind kind;
        if (!binary_kind(u.oparg, &kind)) {
          return {u.opcode, u.op_offset, "this binary operator"};
        }
        b.emit(Op::kBinary, static_cast<int32_t>(kind));
        break;
      }
      case UNARY_NEGATIVE:
        b.emit(Op::kUnary, int(ir::UnaryKind::kNegative));
        break;
      case UNARY_NOT:
        b.emit(Op::kUnary, int(ir::UnaryKind::kNot));
        break;
      case UNARY_INVERT:
        b.emit(Op::kUnary, int(ir::UnaryKind::kInvert));
        break;
      case COMPARE_OP:
        if ((arg >> 5) > 5) return {u.opcode, u.op_offset, "comparison"};
        b.emit(Op::kCompare, arg >> 5);
        break;
      case POP_JUMP_IF_FALSE:
        b.emit_to(Op::kPopJumpIfFalse, forward);
        break;
      case POP_JUMP_IF_TRUE:
        b.emit_to(Op::kPopJumpIfTrue, forward);
        break;
      case JUMP_FORWARD:
        b.emit_to(Op::kJump, forward);
        break;
      case JUMP_BACKWARD:
      case JUMP_BACKWARD_NO_INTERRUPT:
        b.emit_to(Op::kJump, backward);
        break;
      case GET_ITER:
        b.emit(Op::kGetIter);
        break;
      case FOR_ITER:
        // Exhausted: pops the iterator and continues after the END_FOR and
        // POP_TOP at the target (checked below).
        b.emit_to(Op::kForIter, forward, 0, 2);
        break;
      case END_FOR:  // reached only past an exhausted FOR_ITER, which skips it
        b.emit(Op::kPopTop);
        break;
      case POP_TOP:
        b.emit(Op::kPopTop);
        break;
      case COPY:
        b.emit(Op::kCopy, arg);
        break;
      case SWAP:
        b.emit(Op::kSwap, arg);
        break;
      case BINARY_SUBSCR:
        b.emit(Op::kSubscr);
        break;
      case STORE_SUBSCR:
        b.emit(Op::kStoreSubscr);
        break;
      case BUILD_LIST:
        b.emit(Op::kBuildList, arg);
        break;
      case UNPACK_SEQUENCE:
        b.emit(Op::kUnpackSequence, arg);
        break;
      default:
        return {u.opcode, u.op_offset, "this instruction"};
    }
  }
  std::string problem = b.finish();
  if (!problem.empty()) return {-1, 0, problem};
  // FOR_ITER's exits must land right after an END_FOR.
  for (const ir::Instr& instr : out->code) {
    if (instr.op == Op::kForIter &&
        (instr.target < 2 || out->code[instr.target - 1].op != Op::kPopTop ||
         out->code[instr.target - 2].op != Op::kPopTop)) {
      return {FOR_ITER, 0, "a FOR_ITER whose target is not END_FOR"};
    }
  }
  return {};
}

}  // namespace jit
