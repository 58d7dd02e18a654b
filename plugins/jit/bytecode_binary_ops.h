// plugins/jit/bytecode_binary_ops.h - BINARY_OP's oparg (NB_*) as an IR
// binary kind, for the per-minor decoders.
//
// Included by each bytecode_3XX.cc after that minor's <opcode.h>, so the
// NB_* numbers are the ones of the minor being decoded (3.11-3.13 share them
// today; a minor that renumbers them keeps this code unchanged).
#pragma once

#include <cstdint>

#include "ir.h"

namespace jit {
namespace {

bool binary_kind(uint32_t oparg, ir::BinaryKind* kind) {
  switch (oparg) {
    case NB_ADD:
    case NB_INPLACE_ADD:
      *kind = ir::BinaryKind::kAdd;
      return true;
    case NB_SUBTRACT:
    case NB_INPLACE_SUBTRACT:
      *kind = ir::BinaryKind::kSub;
      return true;
    case NB_MULTIPLY:
    case NB_INPLACE_MULTIPLY:
      *kind = ir::BinaryKind::kMul;
      return true;
    case NB_TRUE_DIVIDE:
    case NB_INPLACE_TRUE_DIVIDE:
      *kind = ir::BinaryKind::kTrueDiv;
      return true;
    case NB_FLOOR_DIVIDE:
    case NB_INPLACE_FLOOR_DIVIDE:
      *kind = ir::BinaryKind::kFloorDiv;
      return true;
    case NB_REMAINDER:
    case NB_INPLACE_REMAINDER:
      *kind = ir::BinaryKind::kMod;
      return true;
    case NB_POWER:
    case NB_INPLACE_POWER:
      *kind = ir::BinaryKind::kPow;
      return true;
    case NB_AND:
    case NB_INPLACE_AND:
      *kind = ir::BinaryKind::kAnd;
      return true;
    case NB_OR:
    case NB_INPLACE_OR:
      *kind = ir::BinaryKind::kOr;
      return true;
    case NB_XOR:
    case NB_INPLACE_XOR:
      *kind = ir::BinaryKind::kXor;
      return true;
    case NB_LSHIFT:
    case NB_INPLACE_LSHIFT:
      *kind = ir::BinaryKind::kLshift;
      return true;
    case NB_RSHIFT:
    case NB_INPLACE_RSHIFT:
      *kind = ir::BinaryKind::kRshift;
      return true;
    default:
      return false;
  }
}

}  // namespace
}  // namespace jit
