// plugins/jit/codegen.h - LLVM IR for a typed compile unit.
//
// Each Plan becomes one internal LLVM function `{i32, T} (args..., i64
// depth_budget, ptr context)` (int and bool as i64, float as double)
// returning a runtime.h status and its result in registers; calls between
// plans are direct calls, each passing the budget less one. The unit's entry
// `i32 (ptr args, ptr result, ptr context)` unpacks 8-byte argument slots and
// stores the result.
// The stack machine is lowered with one alloca per (stack depth,
// representation) and per local; mem2reg/SROA in the pipeline turn them
// into SSA values. Only this file and engine.cc include LLVM headers.
#pragma once

#include <memory>
#include <string>

#include "type_infer.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace jit {

// The metadata kind on the `llvm.assume`s that say where a range loop's
// values lie. They serve the first simplification of each function (LVI,
// InstCombine); the engine then removes them (engine.cc), because a loop
// with an assume counts as one with side effects, and IndVarSimplify would
// no longer move its overflow exits out of it.
inline constexpr char kRangeFact[] = "pyhooks.range_fact";

// Builds the module for `unit`, exporting its entry as `entry_name`.
// nullptr and *why on failure (a kind combination codegen lacks).
std::unique_ptr<llvm::Module> generate(const Unit& unit,
                                       const std::string& entry_name,
                                       llvm::LLVMContext* context,
                                       std::string* why);

}  // namespace jit
