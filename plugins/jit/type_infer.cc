// plugins/jit/type_infer.cc - the abstract interpreter behind type_infer.h.
#include "type_infer.h"

#include <deque>

namespace jit {

namespace {

using ir::Op;

constexpr size_t kMaxPlans = 32;
constexpr size_t kMaxInstructions = 20000;
constexpr int kMaxRounds = 8;

// Result kind of a binary operator on numbers, or kUnvisited if the subset
// does not compile it.
Kind binary_result(ir::BinaryKind op, Kind a, Kind b) {
  bool integral = is_integral(a) && is_integral(b);
  switch (op) {
    case ir::BinaryKind::kAdd:
    case ir::BinaryKind::kSub:
    case ir::BinaryKind::kMul:
    case ir::BinaryKind::kFloorDiv:
    case ir::BinaryKind::kMod:
    case ir::BinaryKind::kPow:
      return integral ? Kind::kInt : Kind::kFloat;
    case ir::BinaryKind::kTrueDiv:
      return Kind::kFloat;
    case ir::BinaryKind::kAnd:
    case ir::BinaryKind::kOr:
    case ir::BinaryKind::kXor:
      if (a == Kind::kBool && b == Kind::kBool) return Kind::kBool;
      return integral ? Kind::kInt : Kind::kUnvisited;
    case ir::BinaryKind::kLshift:
    case ir::BinaryKind::kRshift:
      return integral ? Kind::kInt : Kind::kUnvisited;
  }
  return Kind::kUnvisited;
}

bool is_runtime(Kind kind) { return is_number(kind) || kind == Kind::kUnknown; }
// What a local can hold and a call can pass: a number or a list/tuple.
bool is_value(Kind kind) { return is_runtime(kind) || is_sequence(kind); }

// `a OP b` on lists: list * int, int * list, list + list (one element
// kind); kUnvisited otherwise.
Kind sequence_binary_result(ir::BinaryKind op, Kind a, Kind b) {
  if (op == ir::BinaryKind::kMul) {
    if (is_list(a) && is_integral(b)) return a;
    if (is_integral(a) && is_list(b)) return b;
  }
  if (op == ir::BinaryKind::kAdd && is_list(a) && a == b) return a;
  return Kind::kUnvisited;
}

class Inferrer {
 public:
  Inferrer(Environment* env, Unit* unit) : env_(env), unit_(unit) {}

  std::string run(const std::vector<Kind>& entry_args) {
    std::string why;
    if (plan_for(0, entry_args, &why) < 0) return why;
    for (int round = 0; round < kMaxRounds; ++round) {
      bool changed = false;
      unknown_seen_ = false;
      for (size_t p = 0; p < unit_->plans.size(); ++p) {
        Kind before = unit_->plans[p]->result;
        std::string problem = infer(unit_->plans[p].get());
        if (!problem.empty()) return problem;
        if (unit_->plans[p]->result != before) changed = true;
      }
      if (!changed && !unknown_seen_) {
        for (const auto& plan : unit_->plans) {
          if (plan->result == Kind::kUnvisited) {
            return "'" + plan->ir->qualname + "' never returns a value";
          }
        }
        return "";
      }
    }
    return "the return types of its recursive calls do not settle";
  }

 private:
  // The plan for (function, args), made on first use; -1 and why.
  int32_t plan_for(int32_t function, const std::vector<Kind>& args,
                   std::string* why) {
    for (size_t i = 0; i < unit_->plans.size(); ++i) {
      const Plan& plan = *unit_->plans[i];
      if (plan.function == function && plan.args == args) {
        return static_cast<int32_t>(i);
      }
    }
    if (unit_->plans.size() >= kMaxPlans) {
      *why = "it calls more than " + std::to_string(kMaxPlans) +
             " function signatures";
      return -1;
    }
    const ir::Function* code = env_->function_ir(function, why);
    if (code == nullptr) return -1;
    if (code->code.size() > kMaxInstructions) {
      *why = "'" + code->qualname + "' is too long to compile";
      return -1;
    }
    if (static_cast<int32_t>(args.size()) != code->arg_count) {
      *why = "a call to '" + code->qualname + "' with " +
             std::to_string(args.size()) + " arguments instead of " +
             std::to_string(code->arg_count);
      return -1;
    }
    auto plan = std::make_unique<Plan>();
    plan->function = function;
    plan->args = args;
    plan->ir = code;
    plan->loops = has_loop(*code);
    unit_->plans.push_back(std::move(plan));
    return static_cast<int32_t>(unit_->plans.size() - 1);
  }

  std::string where(const Plan& plan, size_t index, const std::string& what) {
    return "'" + plan.ir->qualname + "' instruction " + std::to_string(index) +
           " (" + ir::op_name(plan.ir->code[index].op) + "): " + what;
  }

  static void merge_kind(Kind* into, Kind from) {
    if (*into == from) return;
    if (from == Kind::kUnknown) return;
    if (*into == Kind::kUnknown) {
      *into = from;
    } else if (*into == Kind::kUnbound || from == Kind::kUnbound) {
      *into = Kind::kUnbound;
    } else {
      *into = Kind::kMixed;
    }
  }

  // Joins `from` into plan.in[target]; queues it if it changed.
  std::string flow(Plan* plan, size_t source, int32_t target,
                   const State& from) {
    if (target < 0 || static_cast<size_t>(target) >= plan->in.size()) {
      return where(*plan, source, "falls off the end of the code");
    }
    State& into = plan->in[target];
    if (!into.reached) {
      into = from;
      into.reached = true;
      queue_.push_back(target);
      return "";
    }
    bool changed = false;
    if (into.stack.size() != from.stack.size()) {
      return where(*plan, source, "stack depths differ where paths join");
    }
    for (size_t i = 0; i < into.stack.size(); ++i) {
      Value& a = into.stack[i];
      const Value& b = from.stack[i];
      if (a == b || b.kind == Kind::kUnknown) continue;
      if (a.kind == Kind::kUnknown) {
        a = b;
        changed = true;
        continue;
      }
      return where(*plan, source,
                   std::string("a value is ") + kind_name(a.kind) +
                       " on one path and " + kind_name(b.kind) + " on another");
    }
    for (size_t i = 0; i < into.locals.size(); ++i) {
      Kind before = into.locals[i];
      merge_kind(&into.locals[i], from.locals[i]);
      changed |= into.locals[i] != before;
    }
    if (changed) queue_.push_back(target);
    return "";
  }

  std::string infer(Plan* plan) {
    const ir::Function& fn = *plan->ir;
    plan->in.assign(fn.code.size(), State{});
    plan->callee.assign(fn.code.size(), -1);
    plan->constant.assign(fn.code.size(), ir::Constant{});
    plan->native_calls = false;
    State start;
    start.locals.assign(fn.local_count, Kind::kUnbound);
    for (size_t i = 0; i < plan->args.size(); ++i) {
      start.locals[i] = plan->args[i];
    }
    queue_.clear();
    Kind result = Kind::kUnvisited;
    std::string problem = flow(plan, 0, 0, start);
    while (problem.empty() && !queue_.empty()) {
      size_t index = queue_.front();
      queue_.pop_front();
      problem = step(plan, index, &result);
    }
    if (!problem.empty()) return problem;
    plan->result = result;
    return "";
  }

  std::string step(Plan* plan, size_t index, Kind* result) {
    const ir::Function& fn = *plan->ir;
    const ir::Instr& in = fn.code[index];
    State s = plan->in[index];
    auto need = [&](size_t n) { return s.stack.size() >= n; };
    auto pop = [&]() {
      Value v = s.stack.back();
      s.stack.pop_back();
      return v;
    };
    auto fail = [&](const std::string& what) {
      return where(*plan, index, what);
    };
    int32_t next = static_cast<int32_t>(index + 1);
    switch (in.op) {
      case Op::kLoadLocal: {
        Kind k = s.locals.at(in.arg);
        if (k == Kind::kUnbound || k == Kind::kMixed) {
          return fail("local '" + fn.local_names.at(in.arg) + "' is " +
                      kind_name(k));
        }
        s.stack.push_back({k, 0});
        break;
      }
      case Op::kStoreLocal: {
        if (!need(1)) return fail("stack underflow");
        Value v = pop();
        if (!is_value(v.kind)) {
          return fail(std::string("stores a ") + kind_name(v.kind) +
                      " in local '" + fn.local_names.at(in.arg) + "'");
        }
        s.locals.at(in.arg) = v.kind;
        break;
      }
      case Op::kLoadConst: {
        const ir::Constant& c = fn.consts.at(in.arg);
        switch (c.kind) {
          case ir::Constant::kInt:
            s.stack.push_back({Kind::kInt, 0});
            break;
          case ir::Constant::kFloat:
            s.stack.push_back({Kind::kFloat, 0});
            break;
          case ir::Constant::kBool:
            s.stack.push_back({Kind::kBool, 0});
            break;
          case ir::Constant::kNone:
            s.stack.push_back({Kind::kNone, 0});
            break;
          default:
            return fail(
                "a constant that is not an int (64-bit), float, bool "
                "or None");
        }
        break;
      }
      case Op::kLoadGlobal: {
        std::string why;
        ir::Constant constant;
        Value v =
            env_->global(plan->function, fn.names.at(in.arg), &constant, &why);
        if (v.kind == Kind::kUnvisited) return fail(why);
        plan->constant[index] = constant;
        s.stack.push_back(v);
        break;
      }
      case Op::kLoadAttr: {
        if (!need(1)) return fail("stack underflow");
        Value owner = pop();
        if (owner.kind != Kind::kModule) {
          return fail(std::string("an attribute of a ") +
                      kind_name(owner.kind));
        }
        std::string why;
        ir::Constant constant;
        Value v = env_->attribute(owner, fn.names.at(in.arg), &constant, &why);
        if (v.kind == Kind::kUnvisited) return fail(why);
        plan->constant[index] = constant;
        s.stack.push_back(v);
        break;
      }
      case Op::kPushNull:
        s.stack.push_back({Kind::kNull, 0});
        break;
      case Op::kBinary: {
        if (!need(2)) return fail("stack underflow");
        Value b = pop(), a = pop();
        if (a.kind == Kind::kUnknown || b.kind == Kind::kUnknown) {
          s.stack.push_back({Kind::kUnknown, 0});
          break;
        }
        auto op = static_cast<ir::BinaryKind>(in.arg);
        Kind k = is_number(a.kind) && is_number(b.kind)
                     ? binary_result(op, a.kind, b.kind)
                     : sequence_binary_result(op, a.kind, b.kind);
        if (k == Kind::kUnvisited) {
          return fail(std::string("this operator on ") + kind_name(a.kind) +
                      " and " + kind_name(b.kind));
        }
        s.stack.push_back({k, 0});
        break;
      }
      case Op::kUnary: {
        if (!need(1)) return fail("stack underflow");
        Value a = pop();
        if (a.kind == Kind::kUnknown) {
          s.stack.push_back(a);
          break;
        }
        if (!is_number(a.kind)) {
          return fail(std::string("a unary operator on ") + kind_name(a.kind));
        }
        auto op = static_cast<ir::UnaryKind>(in.arg);
        Kind k = a.kind == Kind::kFloat ? Kind::kFloat : Kind::kInt;
        if (op == ir::UnaryKind::kNot) k = Kind::kBool;
        if (op == ir::UnaryKind::kInvert && a.kind != Kind::kInt) {
          return fail(std::string("~ on a ") + kind_name(a.kind));
        }
        s.stack.push_back({k, 0});
        break;
      }
      case Op::kCompare: {
        if (!need(2)) return fail("stack underflow");
        Value b = pop(), a = pop();
        if ((!is_number(a.kind) && a.kind != Kind::kUnknown) ||
            (!is_number(b.kind) && b.kind != Kind::kUnknown)) {
          return fail(std::string("a comparison of ") + kind_name(a.kind) +
                      " and " + kind_name(b.kind));
        }
        s.stack.push_back({Kind::kBool, 0});
        break;
      }
      case Op::kToBool: {
        if (!need(1)) return fail("stack underflow");
        Value a = pop();
        if (!is_runtime(a.kind)) {
          return fail(std::string("the truth of a ") + kind_name(a.kind));
        }
        s.stack.push_back({Kind::kBool, 0});
        break;
      }
      case Op::kJump:
        return flow(plan, index, in.target, s);
      case Op::kPopJumpIfFalse:
      case Op::kPopJumpIfTrue: {
        if (!need(1)) return fail("stack underflow");
        Value a = pop();
        if (!is_runtime(a.kind)) {
          return fail(std::string("the truth of a ") + kind_name(a.kind));
        }
        std::string problem = flow(plan, index, in.target, s);
        if (!problem.empty()) return problem;
        return flow(plan, index, next, s);
      }
      case Op::kJumpIfFalseOrPop:
      case Op::kJumpIfTrueOrPop: {
        if (!need(1)) return fail("stack underflow");
        if (!is_runtime(s.stack.back().kind)) {
          return fail(std::string("the truth of a ") +
                      kind_name(s.stack.back().kind));
        }
        std::string problem = flow(plan, index, in.target, s);
        if (!problem.empty()) return problem;
        pop();
        return flow(plan, index, next, s);
      }
      case Op::kGetIter: {
        if (!need(1)) return fail("stack underflow");
        Value a = pop();
        if (a.kind == Kind::kRange) {
          s.stack.push_back({Kind::kRangeIter, 0});
        } else if (is_sequence(a.kind)) {
          s.stack.push_back(
              {Kind::kSequenceIter, static_cast<int32_t>(a.kind)});
        } else {
          return fail(std::string("iterating over a ") + kind_name(a.kind) +
                      " (range(), lists and tuples are compiled)");
        }
        break;
      }
      case Op::kForIter: {
        if (!need(1) || (s.stack.back().kind != Kind::kRangeIter &&
                         s.stack.back().kind != Kind::kSequenceIter)) {
          return fail("FOR_ITER without a range or sequence iterator");
        }
        Kind item = s.stack.back().kind == Kind::kRangeIter
                        ? Kind::kInt
                        : element_kind(static_cast<Kind>(s.stack.back().ref));
        State done = s;
        done.stack.pop_back();
        std::string problem = flow(plan, index, in.target, done);
        if (!problem.empty()) return problem;
        s.stack.push_back({item, 0});
        break;
      }
      case Op::kCall: {
        std::string problem = call(plan, index, &s);
        if (!problem.empty()) return problem;
        break;
      }
      case Op::kReturn: {
        if (!need(1)) return fail("stack underflow");
        Value v = pop();
        if (v.kind == Kind::kUnknown) return "";
        if (!is_number(v.kind) && v.kind != Kind::kNone) {
          return fail(std::string("returns a ") + kind_name(v.kind) +
                      " (only int, float, bool and None results are "
                      "compiled)");
        }
        if (*result == Kind::kUnvisited) {
          *result = v.kind;
        } else if (*result != v.kind) {
          return fail(std::string("returns ") + kind_name(*result) +
                      " on one path and " + kind_name(v.kind) + " on another");
        }
        return "";
      }
      case Op::kPopTop:
        if (!need(1)) return fail("stack underflow");
        pop();
        break;
      case Op::kCopy:
        if (in.arg < 1 || !need(in.arg)) return fail("stack underflow");
        s.stack.push_back(s.stack[s.stack.size() - in.arg]);
        break;
      case Op::kSwap:
        if (in.arg < 2 || !need(in.arg)) return fail("stack underflow");
        std::swap(s.stack.back(), s.stack[s.stack.size() - in.arg]);
        break;
      case Op::kSubscr: {
        if (!need(2)) return fail("stack underflow");
        Value index = pop(), container = pop();
        if (container.kind == Kind::kUnknown) {
          s.stack.push_back(container);
          break;
        }
        if (!is_sequence(container.kind)) {
          return fail(std::string("a subscript of a ") +
                      kind_name(container.kind) +
                      " (lists and tuples of ints or floats compile)");
        }
        if (!is_integral(index.kind) && index.kind != Kind::kUnknown) {
          return fail(std::string("a subscript by a ") + kind_name(index.kind) +
                      " (an int index compiles)");
        }
        s.stack.push_back({element_kind(container.kind), 0});
        break;
      }
      case Op::kStoreSubscr: {
        if (!need(3)) return fail("stack underflow");
        Value index = pop(), container = pop(), value = pop();
        if (container.kind == Kind::kUnknown) break;
        if (!is_list(container.kind)) {
          return fail(std::string("a store into a ") +
                      kind_name(container.kind) +
                      " (lists of ints or floats compile)");
        }
        if (!is_integral(index.kind) && index.kind != Kind::kUnknown) {
          return fail(std::string("a subscript by a ") + kind_name(index.kind) +
                      " (an int index compiles)");
        }
        if (!is_runtime(value.kind)) {
          return fail(std::string("stores a ") + kind_name(value.kind) +
                      " into a list");
        }
        break;
      }
      case Op::kBuildList: {
        if (in.arg < 1) {
          return fail("an empty list (its element type is unknown)");
        }
        if (!need(static_cast<size_t>(in.arg))) return fail("stack underflow");
        Kind element = Kind::kUnknown;
        for (int32_t k = 0; k < in.arg; ++k) {
          Kind item = pop().kind;
          if (item == Kind::kUnknown) continue;
          if (item != Kind::kInt && item != Kind::kFloat) {
            return fail(std::string("a list of ") + kind_name(item) +
                        " (lists of ints or floats compile)");
          }
          if (element != Kind::kUnknown && element != item) {
            return fail("a list of ints and floats");
          }
          element = item;
        }
        if (element == Kind::kUnknown) {
          unknown_seen_ = true;
          s.stack.push_back({Kind::kUnknown, 0});
        } else {
          s.stack.push_back({list_of(element), 0});
        }
        break;
      }
      case Op::kUnpackSequence: {
        if (!need(1)) return fail("stack underflow");
        Value sequence = pop();
        if (!is_sequence(sequence.kind)) {
          return fail(std::string("unpacking a ") + kind_name(sequence.kind) +
                      " (lists and tuples of ints or floats compile)");
        }
        for (int32_t k = 0; k < in.arg; ++k) {
          s.stack.push_back({element_kind(sequence.kind), 0});
        }
        break;
      }
    }
    return flow(plan, index, next, s);
  }

  // kCall: pops the arguments, the callable and its NULL (in either order:
  // 3.11/3.12 put the NULL below the callable, 3.13 above it).
  std::string call(Plan* plan, size_t index, State* s) {
    const ir::Instr& in = plan->ir->code[index];
    auto fail = [&](const std::string& what) {
      return where(*plan, index, what);
    };
    size_t argc = static_cast<size_t>(in.arg);
    if (s->stack.size() < argc + 2) return fail("stack underflow");
    std::vector<Value> args(s->stack.end() - argc, s->stack.end());
    s->stack.resize(s->stack.size() - argc);
    Value upper = s->stack.back();
    s->stack.pop_back();
    Value lower = s->stack.back();
    s->stack.pop_back();
    Value callee;
    if (lower.kind == Kind::kNull) {
      callee = upper;
    } else if (upper.kind == Kind::kNull) {
      callee = lower;
    } else {
      return fail("a method call");
    }
    std::vector<Kind> kinds;
    bool unknown = false;
    for (const Value& arg : args) {
      if (arg.kind == Kind::kUnknown) unknown = true;
      if (!is_value(arg.kind)) {
        return fail(std::string("passes a ") + kind_name(arg.kind));
      }
      kinds.push_back(arg.kind);
    }
    Kind result = Kind::kUnvisited;
    switch (callee.kind) {
      case Kind::kFunction: {
        if (unknown) {
          unknown_seen_ = true;
          result = Kind::kUnknown;
          break;
        }
        std::string why;
        int32_t target = plan_for(callee.ref, kinds, &why);
        if (target < 0) return fail(why);
        plan->callee[index] = target;
        plan->native_calls = true;
        result = unit_->plans[target]->result;
        if (result == Kind::kUnvisited) {
          unknown_seen_ = true;
          result = Kind::kUnknown;
        }
        break;
      }
      case Kind::kBuiltin:
        result = builtin_result(static_cast<Builtin>(callee.ref), kinds);
        if (result == Kind::kUnvisited) {
          return fail(
              std::string(builtin_name(static_cast<Builtin>(callee.ref))) +
              "() with these arguments");
        }
        break;
      case Kind::kMathFunc:
        result = math_result(static_cast<MathFunc>(callee.ref), kinds);
        if (result == Kind::kUnvisited) {
          return fail(std::string("math.") +
                      math_name(static_cast<MathFunc>(callee.ref)) +
                      "() with these arguments");
        }
        break;
      default:
        return fail(std::string("a call of a ") + kind_name(callee.kind));
    }
    if (unknown && result != Kind::kRange) result = Kind::kUnknown;
    s->stack.push_back({result, 0});
    return "";
  }

  static Kind builtin_result(Builtin builtin, const std::vector<Kind>& args) {
    for (Kind k : args) {
      if (k == Kind::kUnknown) return Kind::kUnknown;
    }
    size_t n = args.size();
    if (builtin != Builtin::kLen) {
      for (Kind k : args) {
        if (!is_number(k)) return Kind::kUnvisited;
      }
    }
    switch (builtin) {
      case Builtin::kRange:
        if (n < 1 || n > 3) return Kind::kUnvisited;
        for (Kind k : args) {
          if (!is_integral(k)) return Kind::kUnvisited;
        }
        return Kind::kRange;
      case Builtin::kAbs:
        if (n != 1) return Kind::kUnvisited;
        return args[0] == Kind::kFloat ? Kind::kFloat : Kind::kInt;
      case Builtin::kMin:
      case Builtin::kMax:
        if (n < 2) return Kind::kUnvisited;
        for (Kind k : args) {
          if (k != args[0]) return Kind::kUnvisited;  // result kind varies
        }
        return args[0];
      case Builtin::kInt:
        return n == 1 ? Kind::kInt : Kind::kUnvisited;
      case Builtin::kFloat:
        return n == 1 ? Kind::kFloat : Kind::kUnvisited;
      case Builtin::kBool:
        return n == 1 ? Kind::kBool : Kind::kUnvisited;
      case Builtin::kRound:
        return n == 1 ? Kind::kInt : Kind::kUnvisited;
      case Builtin::kLen:
        return n == 1 && is_sequence(args[0]) ? Kind::kInt : Kind::kUnvisited;
      case Builtin::kCount:
        break;
    }
    return Kind::kUnvisited;
  }

  static Kind math_result(MathFunc func, const std::vector<Kind>& args) {
    for (Kind k : args) {
      if (k == Kind::kUnknown) return Kind::kUnknown;
    }
    for (Kind k : args) {
      if (!is_number(k)) return Kind::kUnvisited;
    }
    switch (func) {
      case MathFunc::kAtan2:
      case MathFunc::kPow:
      case MathFunc::kFmod:
      case MathFunc::kCopysign:
        return args.size() == 2 ? Kind::kFloat : Kind::kUnvisited;
      case MathFunc::kFloor:
      case MathFunc::kCeil:
      case MathFunc::kTrunc:
        return args.size() == 1 ? Kind::kInt : Kind::kUnvisited;
      case MathFunc::kIsnan:
      case MathFunc::kIsinf:
      case MathFunc::kIsfinite:
        return args.size() == 1 ? Kind::kBool : Kind::kUnvisited;
      default:
        return args.size() == 1 ? Kind::kFloat : Kind::kUnvisited;
    }
  }

  Environment* env_;
  Unit* unit_;
  std::deque<size_t> queue_;
  bool unknown_seen_ = false;
};

}  // namespace

bool has_loop(const ir::Function& function) {
  for (size_t i = 0; i < function.code.size(); ++i) {
    const ir::Instr& in = function.code[i];
    if ((in.op == Op::kJump || in.op == Op::kPopJumpIfFalse ||
         in.op == Op::kPopJumpIfTrue) &&
        in.target >= 0 && static_cast<size_t>(in.target) <= i) {
      return true;
    }
  }
  return false;
}

bool has_call(const ir::Function& function) {
  for (const ir::Instr& in : function.code) {
    if (in.op == Op::kCall) return true;
  }
  return false;
}

std::string infer_unit(Environment* env, const std::vector<Kind>& entry_args,
                       Unit* unit) {
  return Inferrer(env, unit).run(entry_args);
}

}  // namespace jit
