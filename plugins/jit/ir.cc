// plugins/jit/ir.cc - names and a text dump of the IR (the `dump_ir` option).
#include "ir.h"

namespace jit::ir {

const char* op_name(Op op) {
  switch (op) {
    case Op::kLoadLocal:
      return "load_local";
    case Op::kStoreLocal:
      return "store_local";
    case Op::kLoadConst:
      return "load_const";
    case Op::kLoadGlobal:
      return "load_global";
    case Op::kLoadAttr:
      return "load_attr";
    case Op::kPushNull:
      return "push_null";
    case Op::kBinary:
      return "binary";
    case Op::kUnary:
      return "unary";
    case Op::kCompare:
      return "compare";
    case Op::kToBool:
      return "to_bool";
    case Op::kJump:
      return "jump";
    case Op::kPopJumpIfFalse:
      return "pop_jump_if_false";
    case Op::kPopJumpIfTrue:
      return "pop_jump_if_true";
    case Op::kJumpIfFalseOrPop:
      return "jump_if_false_or_pop";
    case Op::kJumpIfTrueOrPop:
      return "jump_if_true_or_pop";
    case Op::kGetIter:
      return "get_iter";
    case Op::kForIter:
      return "for_iter";
    case Op::kCall:
      return "call";
    case Op::kReturn:
      return "return";
    case Op::kPopTop:
      return "pop_top";
    case Op::kCopy:
      return "copy";
    case Op::kSwap:
      return "swap";
    case Op::kSubscr:
      return "subscr";
    case Op::kStoreSubscr:
      return "store_subscr";
    case Op::kBuildList:
      return "build_list";
    case Op::kUnpackSequence:
      return "unpack_sequence";
  }
  return "?";
}

std::string dump(const Function& function) {
  std::string text = "jit ir of " + function.qualname + " (" +
                     std::to_string(function.arg_count) + " args, " +
                     std::to_string(function.local_count) + " locals)\n";
  for (size_t i = 0; i < function.code.size(); ++i) {
    const Instr& in = function.code[i];
    text += "  " + std::to_string(i) + ": " + op_name(in.op);
    switch (in.op) {
      case Op::kLoadLocal:
      case Op::kStoreLocal:
        text += " " + function.local_names.at(in.arg);
        break;
      case Op::kLoadGlobal:
      case Op::kLoadAttr:
        text += " " + function.names.at(in.arg);
        break;
      case Op::kLoadConst: {
        const Constant& c = function.consts.at(in.arg);
        text += c.kind == Constant::kFloat ? " " + std::to_string(c.f)
                                           : " " + std::to_string(c.i);
        break;
      }
      default:
        if (in.arg != 0) text += " " + std::to_string(in.arg);
    }
    if (in.target >= 0) text += " -> " + std::to_string(in.target);
    text += "\n";
  }
  return text;
}

}  // namespace jit::ir
