// plugins/jit/type_infer.h - type inference over the IR of one compile unit.
//
// A unit is the function being entered plus every module-level function it
// calls (transitively), each planned once per argument-kind signature: a
// Plan. Inference is abstract interpretation of the stack machine: each
// instruction gets the kinds of the locals and of the stack on entry, the
// same on every path that reaches it, or the unit declines with a reason
// naming the function and the instruction. Return kinds of recursive
// functions are found by iterating the whole unit to a fixpoint (a call
// whose callee's return kind is not known yet gives kUnknown, which the
// final round must not contain). Nothing here touches Python: globals and
// attributes are resolved by the Environment the plugin implements.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ir.h"
#include "types.h"

namespace jit {

// What inference asks the running program (implemented with the Python API).
class Environment {
 public:
  virtual ~Environment() = default;
  // The IR of unit function `function` (0 is the entry), or nullptr and why.
  virtual const ir::Function* function_ir(int32_t function,
                                          std::string* why) = 0;
  // What global `name` of `function`'s module is (a global, else a
  // builtin); an int/float/bool global is a guarded constant (*constant).
  // kUnvisited and why when the subset cannot use it.
  virtual Value global(int32_t function, const std::string& name,
                       ir::Constant* constant, std::string* why) = 0;
  // What `owner.name` is (owner is a kModule), likewise.
  virtual Value attribute(Value owner, const std::string& name,
                          ir::Constant* constant, std::string* why) = 0;
};

struct State {
  bool reached = false;
  std::vector<Kind> locals;
  std::vector<Value> stack;
};

struct Plan {
  int32_t function = 0;
  std::vector<Kind> args;
  Kind result = Kind::kUnvisited;
  const ir::Function* ir = nullptr;
  std::vector<State> in;               // per instruction: the state on entry
  std::vector<int32_t> callee;         // per kCall to a function: its plan
  std::vector<ir::Constant> constant;  // per kLoadGlobal/kLoadAttr constant
  bool loops = false;
  bool native_calls = false;
};

struct Unit {
  std::vector<std::unique_ptr<Plan>> plans;  // plans[0] is the entry
};

// Infers `unit` from the entry's argument kinds; "" or the decline reason.
std::string infer_unit(Environment* env, const std::vector<Kind>& entry_args,
                       Unit* unit);

// True if the IR has a backward jump (a loop).
bool has_loop(const ir::Function& function);

// True if the IR calls anything (a function, a builtin, a math function).
bool has_call(const ir::Function& function);

}  // namespace jit
