// plugins/jit/bytecode_311.cc - decodes CPython 3.11 bytecode into the IR.
// Compiled against 3.11's opcode.h only (the opcode numbers). 3.11: PRECALL
// before CALL, [NULL, callable] call order, COMPARE_OP oparg is the
// comparison itself, LOAD_METHOD, POP_JUMP_FORWARD_/BACKWARD_IF_*,
// JUMP_IF_FALSE_OR_POP, FOR_ITER exiting straight to its target.
#include <opcode.h>

#include "bytecode.h"
#include "bytecode_binary_ops.h"

#if !defined(PRECALL) || defined(END_FOR)
#error "bytecode_311.cc must be compiled against CPython 3.11's opcode.h"
#endif

namespace jit {

DecodeError decode_311(const uint8_t* code, size_t size, ir::Function* out) {
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
        break;
      case LOAD_FAST:
        b.emit(Op::kLoadLocal, arg);
        break;
      case STORE_FAST:
        b.emit(Op::kStoreLocal, arg);
        break;
      case LOAD_CONST:
        b.emit(Op::kLoadConst, arg);
        break;
      case RETURN_VALUE:
        b.emit(Op::kReturn);
        break;
      case LOAD_GLOBAL:
        if (arg & 1) b.emit(Op::kPushNull);
        b.emit(Op::kLoadGlobal, arg >> 1);
        break;
      case LOAD_ATTR:
        b.emit(Op::kLoadAttr, arg);
        break;
      case LOAD_METHOD:  // on a module attribute: [NULL, attribute]
        b.emit(Op::kLoadAttr, arg);
        b.emit(Op::kPushNull);
        b.emit(Op::kSwap, 2);
        break;
      case PRECALL:
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
      case UNARY_POSITIVE:
        b.emit(Op::kUnary, int(ir::UnaryKind::kPositive));
        break;
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
        if (arg > 5) return {u.opcode, u.op_offset, "comparison"};
        b.emit(Op::kCompare, arg);
        break;
      case POP_JUMP_FORWARD_IF_FALSE:
        b.emit_to(Op::kPopJumpIfFalse, forward);
        break;
      case POP_JUMP_FORWARD_IF_TRUE:
        b.emit_to(Op::kPopJumpIfTrue, forward);
        break;
      case POP_JUMP_BACKWARD_IF_FALSE:
        b.emit_to(Op::kPopJumpIfFalse, backward);
        break;
      case POP_JUMP_BACKWARD_IF_TRUE:
        b.emit_to(Op::kPopJumpIfTrue, backward);
        break;
      case JUMP_IF_FALSE_OR_POP:
        b.emit_to(Op::kJumpIfFalseOrPop, forward);
        break;
      case JUMP_IF_TRUE_OR_POP:
        b.emit_to(Op::kJumpIfTrueOrPop, forward);
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
      case FOR_ITER:  // exhausted: pops the iterator, jumps to the target
        b.emit_to(Op::kForIter, forward);
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
  return {};
}

}  // namespace jit
