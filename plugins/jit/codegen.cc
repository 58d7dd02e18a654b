// plugins/jit/codegen.cc - lowers typed plans to LLVM IR (codegen.h).
//
// Python semantics live here, one helper per operation: 64-bit int
// arithmetic with overflow checks (overflow deopts: the interpreter then
// computes the big int), floor division and modulo with the divisor's sign,
// true division of ints only where both are exact doubles, comparisons of
// an int with a float only where the int is exact, and every case that
// would raise (division by zero, math domain errors, overflow) a deopt, so
// that the interpreter raises the exact exception.
#include "codegen.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DerivedTypes.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

#include "object_layout.h"
#include "runtime.h"

namespace jit {

namespace {

using ir::Op;
using llvm::BasicBlock;
using llvm::IRBuilder;
using llvm::Value;

constexpr int64_t kExactDouble = int64_t{1} << 53;
constexpr int64_t kPollMask = 4095;  // signals polled every 4096 back-edges
constexpr int64_t kChunk = kPollMask + 1;  // a range loop's values per poll
// A range loop whose body is longer (IR instructions) is not chunked: LLVM
// would not unroll it, one poll per iteration is lost in its cost, and the
// loop passes would work on its body twice (nbody's step: about 10 ms).
constexpr int32_t kChunkedBody = 120;
// The entry loads the budget as the context's first i64.
static_assert(offsetof(NativeContext, depth_budget) == 0);

class UnitCodegen {
 public:
  UnitCodegen(const Unit& unit, llvm::LLVMContext* context)
      : unit_(unit),
        ctx_(*context),
        module_(std::make_unique<llvm::Module>("pyhooks_jit", ctx_)),
        b_(ctx_),
        i64_(llvm::Type::getInt64Ty(ctx_)),
        i32_(llvm::Type::getInt32Ty(ctx_)),
        f64_(llvm::Type::getDoubleTy(ctx_)),
        ptr_(llvm::PointerType::get(ctx_, 0)) {}

  std::unique_ptr<llvm::Module> run(const std::string& entry_name,
                                    std::string* why) {
    std::vector<int> visits(unit_.plans.size(), 0);
    heights_.assign(unit_.plans.size(), 0);
    recursive_.assign(unit_.plans.size(), false);
    for (size_t p = 0; p < unit_.plans.size(); ++p) call_height(p, &visits);
    for (size_t p = 0; p < unit_.plans.size(); ++p) {
      const Plan& plan = *unit_.plans[p];
      std::vector<llvm::Type*> params;
      for (Kind k : plan.args) params.push_back(repr(k));
      params.push_back(i64_);  // depth budget
      params.push_back(ptr_);  // context
      auto* type =
          llvm::FunctionType::get(returned(plan.result), params, false);
      functions_.push_back(llvm::Function::Create(
          type, llvm::Function::InternalLinkage,
          "py." + plan.ir->qualname + "." + std::to_string(p), *module_));
    }
    for (size_t p = 0; p < unit_.plans.size(); ++p) {
      if (!function(p, why)) return nullptr;
    }
    entry(entry_name);
    std::string problems;
    llvm::raw_string_ostream out(problems);
    if (llvm::verifyModule(*module_, &out)) {
      *why = "internal error: invalid LLVM IR: " + out.str();
      return nullptr;
    }
    return std::move(module_);
  }

 private:
  llvm::Type* repr(Kind k) { return k == Kind::kFloat ? f64_ : i64_; }
  // What a plan returns: {status, result} in two registers (no result in
  // memory, so a recursive call's value is not stored and reloaded).
  llvm::StructType* returned(Kind result) {
    return llvm::StructType::get(ctx_, {i32_, repr(result)});
  }
  llvm::Constant* i64c(int64_t v) {
    return llvm::ConstantInt::get(i64_, v, true);
  }
  llvm::Constant* f64c(double v) { return llvm::ConstantFP::get(f64_, v); }

  // How deep the native calls below plan p go (0: it calls no compiled
  // function), or -1 if they can reach a recursion (its heights_ entry is
  // then 0). visits: 0 not yet, 1 on the current path, 2 done.
  int64_t call_height(size_t p, std::vector<int>* visits) {
    if ((*visits)[p] == 1) return -1;
    if ((*visits)[p] == 2) return recursive_[p] ? -1 : heights_[p];
    (*visits)[p] = 1;
    int64_t height = 0;
    for (int32_t target : unit_.plans[p]->callee) {
      if (target < 0) continue;
      int64_t below = call_height(static_cast<size_t>(target), visits);
      if (below < 0) {
        height = -1;
        break;
      }
      height = std::max(height, below + 1);
    }
    (*visits)[p] = 2;
    recursive_[p] = height < 0;
    heights_[p] = std::max<int64_t>(height, 0);
    return height;
  }

  // Allocas: per stack depth three i64 and one double, three more i64 where
  // a range iterator lives (else nullptr); per local one i64 and one
  // double. A range uses a, b, c (start, stop, step); its iterator keeps
  // the start in `first`, the next chunk's start in a, and the current
  // chunk's next value and values left in `next` and `left`.
  struct Slots {
    std::vector<llvm::AllocaInst*> a, b, c, first, next, left, f, li, lf;
  };

  void entry(const std::string& name) {
    const Plan& plan = *unit_.plans[0];
    auto* type = llvm::FunctionType::get(i32_, {ptr_, ptr_, ptr_}, false);
    auto* fn = llvm::Function::Create(type, llvm::Function::ExternalLinkage,
                                      name, *module_);
    b_.SetInsertPoint(BasicBlock::Create(ctx_, "entry", fn));
    std::vector<Value*> args;
    for (size_t i = 0; i < plan.args.size(); ++i) {
      Value* slot = b_.CreateConstGEP1_64(i64_, fn->getArg(0), i);
      if (!is_sequence(plan.args[i])) {
        args.push_back(b_.CreateLoad(repr(plan.args[i]), slot));
        continue;
      }
      auto* object = b_.CreateLoad(ptr_, slot);
      readable_header(object, is_list(plan.args[i]));
      args.push_back(b_.CreatePtrToInt(object, i64_));
    }
    Value* context = fn->getArg(2);
    args.push_back(
        b_.CreateLoad(i64_, context));  // NativeContext::depth_budget
    args.push_back(context);
    Value* returned = b_.CreateCall(functions_[0], args);
    Value* status = b_.CreateExtractValue(returned, 0);
    BasicBlock* ok = BasicBlock::Create(ctx_, "ok", fn);
    BasicBlock* done = BasicBlock::Create(ctx_, "done", fn);
    b_.CreateCondBr(b_.CreateICmpEQ(status, llvm::ConstantInt::get(i32_, 0)),
                    ok, done);
    b_.SetInsertPoint(ok);
    b_.CreateStore(b_.CreateExtractValue(returned, 1), fn->getArg(1));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    b_.CreateRet(status);
  }

  llvm::FunctionCallee helper(const char* name, llvm::Type* ret,
                              std::vector<llvm::Type*> params) {
    return module_->getOrInsertFunction(
        name, llvm::FunctionType::get(ret, params, false));
  }

  // A list's or tuple's header (its size; a list's items pointer) can be
  // read anywhere in the unit: the object is an argument, which outlives
  // the call. Said on the argument's load, so that LLVM reads them once
  // before a loop that writes no memory, not at every element.
  void readable_header(llvm::LoadInst* object, bool list) {
    auto bytes = static_cast<uint64_t>(
        (list ? layout::kListItems : layout::kVarSize) + 8);
    auto fact = [&](uint64_t value) {
      return llvm::MDNode::get(
          ctx_, {llvm::ConstantAsMetadata::get(b_.getInt64(value))});
    };
    object->setMetadata(llvm::LLVMContext::MD_dereferenceable, fact(bytes));
    object->setMetadata(llvm::LLVMContext::MD_align, fact(8));
    object->setMetadata(llvm::LLVMContext::MD_nonnull,
                        llvm::MDNode::get(ctx_, {}));
  }

  // A runtime helper that returns a new list, or null if it could not make
  // one: where it is not null, its header is readable (readable_header).
  llvm::FunctionCallee list_maker(const char* name,
                                  std::vector<llvm::Type*> params) {
    llvm::FunctionCallee callee = helper(name, ptr_, std::move(params));
    auto* function = llvm::cast<llvm::Function>(callee.getCallee());
    llvm::AttrBuilder facts(ctx_);
    facts.addDereferenceableOrNullAttr(layout::kListItems + 8);
    facts.addAlignmentAttr(8);
    function->addRetAttrs(facts);
    return callee;
  }

  // ---- one plan ---------------------------------------------------------

  bool function(size_t p, std::string* why) {
    plan_ = unit_.plans[p].get();
    fn_ = functions_[p];
    const ir::Function& code = *plan_->ir;
    size_t n = code.code.size();
    BasicBlock* start = BasicBlock::Create(ctx_, "start", fn_);
    deopt_ = BasicBlock::Create(ctx_, "deopt", fn_);
    error_ = BasicBlock::Create(ctx_, "error", fn_);
    blocks_.clear();
    chunks_.assign(n, nullptr);
    jump_targets_.assign(n, false);
    for (const ir::Instr& in : code.code) {
      if (in.target >= 0) jump_targets_[static_cast<size_t>(in.target)] = true;
    }
    for (size_t i = 0; i < n; ++i) {
      blocks_.push_back(BasicBlock::Create(ctx_, "i" + std::to_string(i), fn_));
      const State& s = plan_->in[i];
      if (code.code[i].op == Op::kForIter && s.reached &&
          s.stack.back().kind == Kind::kRangeIter &&
          code.code[i].target - static_cast<int32_t>(i) <= kChunkedBody) {
        chunks_[i] = BasicBlock::Create(ctx_, "chunk" + std::to_string(i), fn_);
      }
    }
    // Every return goes through one block, the status and the result in
    // allocas (phis after mem2reg): inlined into a caller, its status test
    // then folds into each return site's branch.
    exit_ = BasicBlock::Create(ctx_, "exit", fn_);
    b_.SetInsertPoint(start);
    status_out_ = b_.CreateAlloca(i32_);
    result_out_ =
        b_.CreateAlloca(fn_->getReturnType()->getStructElementType(1));
    b_.SetInsertPoint(exit_);
    Value* returned = llvm::UndefValue::get(fn_->getReturnType());
    returned =
        b_.CreateInsertValue(returned, b_.CreateLoad(i32_, status_out_), 0);
    returned = b_.CreateInsertValue(
        returned, b_.CreateLoad(result_out_->getAllocatedType(), result_out_),
        1);
    b_.CreateRet(returned);
    b_.SetInsertPoint(deopt_);
    return_status(llvm::ConstantInt::get(i32_, kDeoptStatus));
    b_.SetInsertPoint(error_);
    return_status(llvm::ConstantInt::get(i32_, kErrorStatus));

    b_.SetInsertPoint(start);
    size_t depth = 1;
    for (const State& s : plan_->in)
      depth = std::max(depth, s.stack.size() + 1);
    // A range iterator's own slots only at the depths where one lives (all
    // of them if one is copied or swapped, through the slot above the top).
    std::vector<bool> iterates(depth, false);
    for (size_t i = 0; i < n; ++i) {
      const State& s = plan_->in[i];
      for (size_t d = 0; d < s.stack.size(); ++d) {
        if (s.stack[d].kind != Kind::kRangeIter) continue;
        iterates[d] = true;
        if (code.code[i].op == Op::kCopy || code.code[i].op == Op::kSwap) {
          iterates.assign(depth, true);
        }
      }
    }
    slots_ = Slots{};
    for (size_t d = 0; d < depth; ++d) {
      slots_.a.push_back(b_.CreateAlloca(i64_));
      slots_.b.push_back(b_.CreateAlloca(i64_));
      slots_.c.push_back(b_.CreateAlloca(i64_));
      for (auto* slots : {&slots_.first, &slots_.next, &slots_.left}) {
        slots->push_back(iterates[d] ? b_.CreateAlloca(i64_) : nullptr);
      }
      slots_.f.push_back(b_.CreateAlloca(f64_));
    }
    for (int32_t l = 0; l < code.local_count; ++l) {
      slots_.li.push_back(b_.CreateAlloca(i64_));
      slots_.lf.push_back(b_.CreateAlloca(f64_));
    }
    helper_out_ = b_.CreateAlloca(i64_);
    tick_ = b_.CreateAlloca(i64_);
    b_.CreateStore(i64c(0), tick_);
    for (size_t i = 0; i < plan_->args.size(); ++i) {
      b_.CreateStore(fn_->getArg(i), plan_->args[i] == Kind::kFloat
                                         ? slots_.lf[i]
                                         : slots_.li[i]);
    }
    // Depth: deopt before the C stack or the recursion limit would be hit.
    // The budget is an argument (callees get one less), not a counter in
    // the context, so that a call chain keeps it in registers. A plan whose
    // calls cannot recurse asks for the budget its deepest call chain
    // needs, at once: the calls below it, inlined, then need no checks of
    // their own (an earlier deopt near the limit is exact all the same).
    check_deopt(b_.CreateICmpSLE(budget_arg(), i64c(heights_[p])));
    heap_mark_ = nullptr;
    if (creates_lists()) {
      heap_mark_ = b_.CreateCall(helper("pyhooks_jit_heap_mark", i64_, {ptr_}),
                                 {context_arg()});
    }
    b_.CreateBr(blocks_[0]);

    for (size_t i = 0; i < n; ++i) {
      b_.SetInsertPoint(blocks_[i]);
      if (!plan_->in[i].reached) {
        b_.CreateUnreachable();
        continue;
      }
      if (!instruction(i, why)) return false;
      if (!b_.GetInsertBlock()->getTerminator()) {
        if (i + 1 < n) {
          b_.CreateBr(blocks_[i + 1]);
        } else {
          b_.CreateUnreachable();
        }
      }
    }
    return true;
  }

  static constexpr int32_t kDeoptStatus = 1;
  static constexpr int32_t kErrorStatus = 2;

  // Returns `status` with no result (a deopt, an error, a callee's).
  void return_status(Value* status) {
    b_.CreateStore(status, status_out_);
    b_.CreateBr(exit_);
  }

  // Branches to the deopt block when `condition` holds.
  void check_deopt(Value* condition) {
    BasicBlock* next = BasicBlock::Create(ctx_, "ok", fn_);
    b_.CreateCondBr(condition, deopt_, next,
                    llvm::MDBuilder(ctx_).createBranchWeights(1, 1 << 20));
    b_.SetInsertPoint(next);
  }

  Value* load(size_t depth, Kind k) {
    return k == Kind::kFloat ? b_.CreateLoad(f64_, slots_.f[depth])
                             : b_.CreateLoad(i64_, slots_.a[depth]);
  }
  void store(size_t depth, Kind k, Value* v) {
    b_.CreateStore(v, k == Kind::kFloat ? slots_.f[depth] : slots_.a[depth]);
  }
  // ---- lists and tuples -----------------------------------------------------

  Value* budget_arg() { return fn_->getArg(plan_->args.size()); }
  Value* context_arg() { return fn_->getArg(plan_->args.size() + 1); }
  Value* object_at(size_t depth) {
    return b_.CreateIntToPtr(b_.CreateLoad(i64_, slots_.a[depth]), ptr_);
  }
  Value* field(Value* object, int64_t offset, llvm::Type* type) {
    return b_.CreateLoad(type,
                         b_.CreateConstGEP1_64(b_.getInt8Ty(), object, offset));
  }
  // len() of a list or tuple, which is below 2**60 (CPython allocates at
  // most PY_SSIZE_T_MAX bytes of item pointers): said to LLVM, so that sums
  // of indexes below it need no overflow check.
  Value* size_of(Value* sequence) {
    auto* size =
        llvm::cast<llvm::LoadInst>(field(sequence, layout::kVarSize, i64_));
    size->setMetadata(
        llvm::LLVMContext::MD_range,
        llvm::MDBuilder(ctx_).createRange(llvm::APInt(64, 0),
                                          llvm::APInt(64, int64_t{1} << 60)));
    return size;
  }
  // Deopts on a null object pointer (a helper that could not create it).
  Value* checked_object(Value* object) {
    check_deopt(b_.CreateIsNull(object));
    return b_.CreatePtrToInt(object, i64_);
  }
  void check_status(Value* status) {
    check_deopt(b_.CreateICmpNE(status, llvm::ConstantInt::get(i32_, 0)));
  }
  // True if the plan creates lists: it releases them when it returns.
  bool creates_lists() const {
    const ir::Function& code = *plan_->ir;
    for (size_t i = 0; i < code.code.size(); ++i) {
      if (!plan_->in[i].reached) continue;
      if (code.code[i].op == Op::kBuildList) return true;
      if (code.code[i].op == Op::kBinary && i + 1 < code.code.size() &&
          plan_->in[i + 1].reached &&
          is_list(plan_->in[i + 1].stack.back().kind)) {
        return true;
      }
    }
    return false;
  }

  // sequence[index]: Python's index rules (negative from the end), an index
  // out of range deopts (the interpreter raises the IndexError), and so does
  // an element that is not of the expected type (exactly).
  void subscript(size_t d, Kind container, Kind index_kind) {
    Value* sequence = object_at(d - 2);
    Value* index = load(d - 1, index_kind);
    Value* size = size_of(sequence);
    Value* normal = b_.CreateSelect(b_.CreateICmpSLT(index, i64c(0)),
                                    b_.CreateAdd(index, size), index);
    check_deopt(b_.CreateICmpUGE(normal, size));
    store(d - 2, element_kind(container), element(sequence, container, normal));
  }

  // Item `index` (in range) of a sequence as its element kind; an element
  // of another type deopts.
  Value* element(Value* sequence, Kind container, Value* index) {
    Value* items = is_list(container)
                       ? field(sequence, layout::kListItems, ptr_)
                       : b_.CreateConstGEP1_64(b_.getInt8Ty(), sequence,
                                               layout::kTupleItems);
    Value* item = b_.CreateLoad(ptr_, b_.CreateGEP(ptr_, items, index));
    if (element_kind(container) == Kind::kFloat) {
      Value* type = field(item, layout::kObjectType, ptr_);
      check_deopt(b_.CreateICmpNE(type, float_type()));
      return field(item, layout::kFloatValue, f64_);
    }
    check_status(
        b_.CreateCall(helper("pyhooks_jit_unbox_int", i32_, {ptr_, ptr_}),
                      {item, helper_out_}));
    return b_.CreateLoad(i64_, helper_out_);
  }

  // FOR_ITER over a list or tuple, as CPython's sequence iterators: the
  // size is read at every step (a signal handler run at a poll may resize
  // a list), the next item is read from the object, and the index moves on.
  void sequence_next(size_t it, size_t d, Kind container, BasicBlock* done) {
    Value* sequence = object_at(it);
    Value* index = b_.CreateLoad(i64_, slots_.b[it]);
    Value* size = size_of(sequence);
    BasicBlock* body = BasicBlock::Create(ctx_, "next", fn_);
    b_.CreateCondBr(b_.CreateICmpSLT(index, size), body, done);
    b_.SetInsertPoint(body);
    b_.CreateStore(b_.CreateAdd(index, i64c(1)), slots_.b[it]);
    store(d, element_kind(container), element(sequence, container, index));
  }

  // `a, b, c = sequence`: a size other than n deopts (the interpreter
  // raises the ValueError); the items are read before any slot is written
  // (the sequence's own slot receives the last of them).
  void unpack_sequence(size_t d, Kind container, size_t n) {
    Value* sequence = object_at(d - 1);
    check_deopt(
        b_.CreateICmpNE(size_of(sequence), i64c(static_cast<int64_t>(n))));
    std::vector<Value*> items;
    for (size_t k = 0; k < n; ++k) {
      items.push_back(
          element(sequence, container, i64c(static_cast<int64_t>(k))));
    }
    for (size_t k = 0; k < n; ++k) {
      store(d - 1 + k, element_kind(container), items[n - 1 - k]);
    }
  }

  // value, list, index on the stack: list[index] = value (runtime.h).
  void store_subscript(size_t d, Kind value_kind, Kind index_kind) {
    Value* value = load(d - 3, value_kind);
    Value* list = object_at(d - 2);
    Value* index = load(d - 1, index_kind);
    const char* name =
        value_kind == Kind::kFloat  ? "pyhooks_jit_list_store_float"
        : value_kind == Kind::kBool ? "pyhooks_jit_list_store_bool"
                                    : "pyhooks_jit_list_store_int";
    check_status(
        b_.CreateCall(helper(name, i32_, {ptr_, ptr_, i64_, repr(value_kind)}),
                      {context_arg(), list, index, value}));
  }

  // [item, ...] of n numbers of one kind at the top of the stack.
  void build_list(size_t d, size_t n, Kind list_kind) {
    Value* list =
        b_.CreateCall(list_maker("pyhooks_jit_list_new", {ptr_, i64_}),
                      {context_arg(), i64c(static_cast<int64_t>(n))});
    Value* address = checked_object(list);
    Kind element = element_kind(list_kind);
    const char* name = element == Kind::kFloat ? "pyhooks_jit_list_init_float"
                                               : "pyhooks_jit_list_init_int";
    for (size_t k = 0; k < n; ++k) {
      check_status(b_.CreateCall(
          helper(name, i32_, {ptr_, i64_, repr(element)}),
          {list, i64c(static_cast<int64_t>(k)), load(d - n + k, element)}));
    }
    store(d - n, list_kind, address);
  }

  // list * int, int * list, list + list: a new list.
  void sequence_binary(size_t d, ir::BinaryKind op, Kind ka, Kind kb,
                       Kind result) {
    Value* made;
    if (op == ir::BinaryKind::kAdd) {
      made = b_.CreateCall(
          list_maker("pyhooks_jit_list_concat", {ptr_, ptr_, ptr_}),
          {context_arg(), object_at(d - 2), object_at(d - 1)});
    } else {
      bool list_first = is_list(ka);
      Value* list = object_at(list_first ? d - 2 : d - 1);
      Value* count = load(list_first ? d - 1 : d - 2, list_first ? kb : ka);
      made = b_.CreateCall(
          list_maker("pyhooks_jit_list_repeat", {ptr_, ptr_, i64_}),
          {context_arg(), list, count});
    }
    store(d - 2, result, checked_object(made));
  }

  llvm::Constant* float_type() {
    return llvm::ConstantExpr::getIntToPtr(
        i64c(static_cast<int64_t>(
            reinterpret_cast<uintptr_t>(pyhooks_jit_float_type()))),
        ptr_);
  }

  // Copies stack slot `from` to `to` for a value of kind k.
  void move(size_t from, size_t to, Kind k) {
    if (k == Kind::kRange || k == Kind::kRangeIter ||
        k == Kind::kSequenceIter) {
      for (auto* slots : {&slots_.a, &slots_.b, &slots_.c}) {
        b_.CreateStore(b_.CreateLoad(i64_, (*slots)[from]), (*slots)[to]);
      }
      if (k == Kind::kRangeIter) {
        for (auto* slots : {&slots_.first, &slots_.next, &slots_.left}) {
          b_.CreateStore(b_.CreateLoad(i64_, (*slots)[from]), (*slots)[to]);
        }
      }
    } else if (is_number(k) || is_sequence(k)) {
      store(to, k, load(from, k));
    }
  }

  Value* to_float(Value* v, Kind k) {
    return k == Kind::kFloat ? v : b_.CreateSIToFP(v, f64_);
  }
  Value* truth(Value* v, Kind k) {
    return k == Kind::kFloat ? b_.CreateFCmpUNE(v, f64c(0.0))
                             : b_.CreateICmpNE(v, i64c(0));
  }
  Value* as_bool(Value* i1) { return b_.CreateZExt(i1, i64_); }
  // Deopts unless the int converts to a double exactly.
  void check_exact(Value* v) {
    Value* low = b_.CreateICmpSLT(v, i64c(-kExactDouble));
    Value* high = b_.CreateICmpSGT(v, i64c(kExactDouble));
    check_deopt(b_.CreateOr(low, high));
  }

  Value* overflow_op(llvm::Intrinsic::ID id, Value* a, Value* c) {
    Value* pair = b_.CreateBinaryIntrinsic(id, a, c);
    check_deopt(b_.CreateExtractValue(pair, 1));
    return b_.CreateExtractValue(pair, 0);
  }

  Value* unary_math(llvm::Intrinsic::ID id, Value* x) {
    return b_.CreateUnaryIntrinsic(id, x);
  }

  // ---- operators ----------------------------------------------------------

  // The int constant instruction i-1 pushes, if the stack's top at
  // instruction i is always that (no jump lands on i).
  std::optional<int64_t> constant_before(size_t i) const {
    const ir::Function& code = *plan_->ir;
    if (i == 0 || jump_targets_[i]) return std::nullopt;
    const ir::Instr& before = code.code[i - 1];
    if (before.op != Op::kLoadConst) return std::nullopt;
    const ir::Constant& c = code.consts[before.arg];
    if (c.kind != ir::Constant::kInt && c.kind != ir::Constant::kBool) {
      return std::nullopt;
    }
    return c.i;
  }

  // y_constant: y's value, if it is a constant.
  Value* int_binary(ir::BinaryKind op, Value* x, Value* y,
                    std::optional<int64_t> y_constant) {
    using BK = ir::BinaryKind;
    switch (op) {
      case BK::kAdd:
        return overflow_op(llvm::Intrinsic::sadd_with_overflow, x, y);
      case BK::kSub:
        return overflow_op(llvm::Intrinsic::ssub_with_overflow, x, y);
      case BK::kMul:
        return overflow_op(llvm::Intrinsic::smul_with_overflow, x, y);
      case BK::kFloorDiv:
      case BK::kMod: {
        // By a constant positive power of two, // is an arithmetic shift
        // and % a mask, exactly (both round toward minus infinity); LLVM
        // does not find that in the general code below.
        if (y_constant && *y_constant > 0 &&
            (*y_constant & (*y_constant - 1)) == 0) {
          return op == BK::kFloorDiv
                     ? b_.CreateAShr(x,
                                     i64c(__builtin_ctzll(
                                         static_cast<uint64_t>(*y_constant))))
                     : b_.CreateAnd(x, i64c(*y_constant - 1));
        }
        check_deopt(b_.CreateICmpEQ(y, i64c(0)));  // ZeroDivisionError
        Value* minus_one = b_.CreateICmpEQ(y, i64c(-1));
        if (op == BK::kFloorDiv) {
          // MIN // -1 is 2**63: a big int.
          check_deopt(
              b_.CreateAnd(minus_one, b_.CreateICmpEQ(x, i64c(INT64_MIN))));
        }
        Value* safe = b_.CreateSelect(minus_one, i64c(1), y);
        Value* q = b_.CreateSDiv(x, safe);
        Value* r = b_.CreateSRem(x, safe);
        q = b_.CreateSelect(minus_one, b_.CreateNeg(x), q);
        // Python rounds toward minus infinity: fix a remainder whose sign
        // differs from the divisor's.
        Value* adjust =
            b_.CreateAnd(b_.CreateICmpNE(r, i64c(0)),
                         b_.CreateICmpSLT(b_.CreateXor(r, y), i64c(0)));
        if (op == BK::kFloorDiv) {
          return b_.CreateSelect(adjust, b_.CreateSub(q, i64c(1)), q);
        }
        return b_.CreateSelect(adjust, b_.CreateAdd(r, y), r);
      }
      case BK::kPow: {
        Value* status = b_.CreateCall(
            helper("pyhooks_jit_int_pow", i32_, {i64_, i64_, ptr_}),
            {x, y, helper_out_});
        check_deopt(b_.CreateICmpNE(status, llvm::ConstantInt::get(i32_, 0)));
        return b_.CreateLoad(i64_, helper_out_);
      }
      case BK::kAnd:
        return b_.CreateAnd(x, y);
      case BK::kOr:
        return b_.CreateOr(x, y);
      case BK::kXor:
        return b_.CreateXor(x, y);
      case BK::kLshift: {
        check_deopt(b_.CreateICmpSLT(y, i64c(0)));  // ValueError
        check_deopt(b_.CreateAnd(b_.CreateICmpSGT(y, i64c(63)),
                                 b_.CreateICmpNE(x, i64c(0))));
        Value* count =
            b_.CreateSelect(b_.CreateICmpSGT(y, i64c(63)), i64c(0), y);
        Value* shifted = b_.CreateShl(x, count);
        check_deopt(b_.CreateICmpNE(b_.CreateAShr(shifted, count), x));
        return shifted;
      }
      case BK::kRshift: {
        check_deopt(b_.CreateICmpSLT(y, i64c(0)));
        Value* count =
            b_.CreateSelect(b_.CreateICmpSGT(y, i64c(63)), i64c(63), y);
        return b_.CreateAShr(x, count);
      }
      case BK::kTrueDiv:
        break;
    }
    // int / int: exact operands give the correctly rounded quotient.
    check_deopt(b_.CreateICmpEQ(y, i64c(0)));
    check_exact(x);
    check_exact(y);
    return b_.CreateFDiv(b_.CreateSIToFP(x, f64_), b_.CreateSIToFP(y, f64_));
  }

  Value* float_binary(ir::BinaryKind op, Value* x, Value* y) {
    using BK = ir::BinaryKind;
    switch (op) {
      case BK::kAdd:
        return b_.CreateFAdd(x, y);
      case BK::kSub:
        return b_.CreateFSub(x, y);
      case BK::kMul:
        return b_.CreateFMul(x, y);
      case BK::kTrueDiv:
        check_deopt(b_.CreateFCmpOEQ(y, f64c(0.0)));
        return b_.CreateFDiv(x, y);
      case BK::kFloorDiv:
      case BK::kMod:
        check_deopt(b_.CreateFCmpOEQ(y, f64c(0.0)));
        return b_.CreateCall(
            helper(op == BK::kMod ? "pyhooks_jit_float_mod"
                                  : "pyhooks_jit_float_floordiv",
                   f64_, {f64_, f64_}),
            {x, y});
      case BK::kPow: {
        Value* status = b_.CreateCall(
            helper("pyhooks_jit_float_pow", i32_, {f64_, f64_, ptr_}),
            {x, y, helper_out_});
        check_deopt(b_.CreateICmpNE(status, llvm::ConstantInt::get(i32_, 0)));
        return b_.CreateLoad(f64_, helper_out_);
      }
      default:
        return nullptr;
    }
  }

  Value* compare(ir::CompareKind op, Value* x, Kind kx, Value* y, Kind ky) {
    if (is_integral(kx) && is_integral(ky)) {
      llvm::CmpInst::Predicate p[] = {
          llvm::CmpInst::ICMP_SLT, llvm::CmpInst::ICMP_SLE,
          llvm::CmpInst::ICMP_EQ,  llvm::CmpInst::ICMP_NE,
          llvm::CmpInst::ICMP_SGT, llvm::CmpInst::ICMP_SGE};
      return b_.CreateICmp(p[static_cast<int>(op)], x, y);
    }
    if (kx != Kind::kFloat) check_exact(x);
    if (ky != Kind::kFloat) check_exact(y);
    llvm::CmpInst::Predicate p[] = {
        llvm::CmpInst::FCMP_OLT, llvm::CmpInst::FCMP_OLE,
        llvm::CmpInst::FCMP_OEQ, llvm::CmpInst::FCMP_UNE,
        llvm::CmpInst::FCMP_OGT, llvm::CmpInst::FCMP_OGE};
    return b_.CreateFCmp(p[static_cast<int>(op)], to_float(x, kx),
                         to_float(y, ky));
  }

  // A float to int64 the way int() truncates; deopts outside int64 (and
  // for inf/nan, which raise).
  Value* float_to_int(Value* x) {
    Value* fits =
        b_.CreateAnd(b_.CreateFCmpOGE(x, f64c(-9223372036854775808.0)),
                     b_.CreateFCmpOLT(x, f64c(9223372036854775808.0)));
    check_deopt(b_.CreateNot(fits));
    return b_.CreateFPToSI(x, i64_);
  }

  // math.* of floats: the C library, then CPython's error rule: a nan from
  // a non-nan argument is ValueError, an infinity from finite arguments
  // OverflowError/ValueError - the interpreter raises them.
  void check_math_result(Value* r, const std::vector<Value*>& xs) {
    Value* any_nan = llvm::ConstantInt::getFalse(ctx_);
    Value* all_finite = llvm::ConstantInt::getTrue(ctx_);
    for (Value* x : xs) {
      any_nan = b_.CreateOr(any_nan, b_.CreateFCmpUNO(x, x));
      Value* finite = b_.CreateFCmpOLT(unary_math(llvm::Intrinsic::fabs, x),
                                       f64c(INFINITY));
      all_finite = b_.CreateAnd(all_finite, finite);
    }
    Value* r_nan = b_.CreateFCmpUNO(r, r);
    Value* r_inf =
        b_.CreateFCmpOEQ(unary_math(llvm::Intrinsic::fabs, r), f64c(INFINITY));
    check_deopt(b_.CreateOr(b_.CreateAnd(r_nan, b_.CreateNot(any_nan)),
                            b_.CreateAnd(r_inf, all_finite)));
  }

  void require_finite(const std::vector<Value*>& xs) {
    for (Value* x : xs) {
      check_deopt(b_.CreateNot(b_.CreateFCmpOLT(
          unary_math(llvm::Intrinsic::fabs, x), f64c(INFINITY))));
    }
  }

  Value* math_call(MathFunc func, const std::vector<Value*>& raw,
                   const std::vector<Kind>& kinds, Kind* out_kind) {
    std::vector<Value*> xs;
    for (size_t i = 0; i < raw.size(); ++i)
      xs.push_back(to_float(raw[i], kinds[i]));
    auto libm1 = [&](const char* name) {
      Value* r = b_.CreateCall(helper(name, f64_, {f64_}), {xs[0]});
      check_math_result(r, xs);
      return r;
    };
    *out_kind = Kind::kFloat;
    switch (func) {
      case MathFunc::kSqrt: {
        Value* r = unary_math(llvm::Intrinsic::sqrt, xs[0]);
        check_math_result(r, xs);
        return r;
      }
      case MathFunc::kFabs:
        return unary_math(llvm::Intrinsic::fabs, xs[0]);
      case MathFunc::kExp:
        return libm1("exp");
      case MathFunc::kLog:
        return libm1("log");
      case MathFunc::kLog2:
        return libm1("log2");
      case MathFunc::kLog10:
        return libm1("log10");
      case MathFunc::kSin:
        return libm1("sin");
      case MathFunc::kCos:
        return libm1("cos");
      case MathFunc::kTan:
        return libm1("tan");
      case MathFunc::kAsin:
        return libm1("asin");
      case MathFunc::kAcos:
        return libm1("acos");
      case MathFunc::kAtan:
        return libm1("atan");
      case MathFunc::kSinh:
        return libm1("sinh");
      case MathFunc::kCosh:
        return libm1("cosh");
      case MathFunc::kTanh:
        return libm1("tanh");
      case MathFunc::kExpm1:
        return libm1("expm1");
      case MathFunc::kLog1p:
        return libm1("log1p");
      case MathFunc::kFloor:
      case MathFunc::kCeil:
      case MathFunc::kTrunc: {
        *out_kind = Kind::kInt;
        if (kinds[0] != Kind::kFloat) return raw[0];
        llvm::Intrinsic::ID id =
            func == MathFunc::kFloor  ? llvm::Intrinsic::floor
            : func == MathFunc::kCeil ? llvm::Intrinsic::ceil
                                      : llvm::Intrinsic::trunc;
        return float_to_int(unary_math(id, xs[0]));
      }
      case MathFunc::kAtan2:
      case MathFunc::kPow:
      case MathFunc::kFmod: {
        require_finite(xs);
        if (func == MathFunc::kFmod)
          check_deopt(b_.CreateFCmpOEQ(xs[1], f64c(0.0)));
        const char* name = func == MathFunc::kAtan2 ? "atan2"
                           : func == MathFunc::kPow ? "pow"
                                                    : "fmod";
        Value* r =
            b_.CreateCall(helper(name, f64_, {f64_, f64_}), {xs[0], xs[1]});
        check_deopt(b_.CreateNot(b_.CreateFCmpOLT(
            unary_math(llvm::Intrinsic::fabs, r), f64c(INFINITY))));
        return r;
      }
      case MathFunc::kCopysign:
        return b_.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, xs[0],
                                        xs[1]);
      case MathFunc::kIsnan:
        *out_kind = Kind::kBool;
        return as_bool(b_.CreateFCmpUNO(xs[0], xs[0]));
      case MathFunc::kIsinf:
        *out_kind = Kind::kBool;
        return as_bool(b_.CreateFCmpOEQ(
            unary_math(llvm::Intrinsic::fabs, xs[0]), f64c(INFINITY)));
      case MathFunc::kIsfinite:
        *out_kind = Kind::kBool;
        return as_bool(b_.CreateFCmpOLT(
            unary_math(llvm::Intrinsic::fabs, xs[0]), f64c(INFINITY)));
      case MathFunc::kCount:
        break;
    }
    return nullptr;
  }

  // ---- instructions -------------------------------------------------------

  bool instruction(size_t i, std::string* why) {
    const ir::Function& code = *plan_->ir;
    const ir::Instr& in = code.code[i];
    const State& s = plan_->in[i];
    const size_t d = s.stack.size();
    auto kind_at = [&](size_t from_top) { return s.stack[d - from_top].kind; };
    switch (in.op) {
      case Op::kLoadLocal: {
        Kind k = s.locals[in.arg];
        Value* v = b_.CreateLoad(
            repr(k), k == Kind::kFloat ? slots_.lf[in.arg] : slots_.li[in.arg]);
        store(d, k, v);
        return true;
      }
      case Op::kStoreLocal: {
        Kind k = kind_at(1);
        b_.CreateStore(load(d - 1, k), k == Kind::kFloat ? slots_.lf[in.arg]
                                                         : slots_.li[in.arg]);
        return true;
      }
      case Op::kLoadConst: {
        const ir::Constant& c = code.consts[in.arg];
        if (c.kind == ir::Constant::kFloat) {
          store(d, Kind::kFloat, f64c(c.f));
        } else if (c.kind == ir::Constant::kInt ||
                   c.kind == ir::Constant::kBool) {
          store(d, Kind::kInt, i64c(c.i));
        }
        return true;
      }
      case Op::kLoadAttr:
      case Op::kLoadGlobal: {
        // A function, module or builtin is a compile-time value (the entry
        // guards make it true); a number is a guarded constant.
        size_t at = in.op == Op::kLoadAttr ? d - 1 : d;
        const ir::Constant& c = plan_->constant[i];
        if (c.kind == ir::Constant::kFloat) {
          store(at, Kind::kFloat, f64c(c.f));
        } else if (c.kind == ir::Constant::kInt ||
                   c.kind == ir::Constant::kBool) {
          store(at, Kind::kInt, i64c(c.i));
        }
        return true;
      }
      case Op::kPushNull:
        return true;
      case Op::kBinary: {
        Kind ka = kind_at(2), kb = kind_at(1);
        auto op = static_cast<ir::BinaryKind>(in.arg);
        Kind kr = plan_->in[i + 1].stack.back().kind;
        if (is_sequence(ka) || is_sequence(kb)) {
          sequence_binary(d, op, ka, kb, kr);
          return true;
        }
        Value* x = load(d - 2, ka);
        Value* y = load(d - 1, kb);
        Value* r;
        if (is_integral(ka) && is_integral(kb)) {
          r = int_binary(op, x, y, constant_before(i));
        } else {
          r = float_binary(op, to_float(x, ka), to_float(y, kb));
        }
        if (r == nullptr) {
          *why = "internal error: no code for this operator";
          return false;
        }
        store(d - 2, kr, r);
        return true;
      }
      case Op::kUnary: {
        Kind k = kind_at(1);
        Value* x = load(d - 1, k);
        switch (static_cast<ir::UnaryKind>(in.arg)) {
          case ir::UnaryKind::kNegative:
            if (k == Kind::kFloat) {
              store(d - 1, k, b_.CreateFNeg(x));
            } else {
              store(
                  d - 1, Kind::kInt,
                  overflow_op(llvm::Intrinsic::ssub_with_overflow, i64c(0), x));
            }
            break;
          case ir::UnaryKind::kPositive:
            break;
          case ir::UnaryKind::kNot:
            store(d - 1, Kind::kBool, as_bool(b_.CreateNot(truth(x, k))));
            break;
          case ir::UnaryKind::kInvert:
            store(d - 1, Kind::kInt, b_.CreateXor(x, i64c(-1)));
            break;
        }
        return true;
      }
      case Op::kCompare: {
        Kind ka = kind_at(2), kb = kind_at(1);
        Value* r = compare(static_cast<ir::CompareKind>(in.arg),
                           load(d - 2, ka), ka, load(d - 1, kb), kb);
        store(d - 2, Kind::kBool, as_bool(r));
        return true;
      }
      case Op::kToBool: {
        Kind k = kind_at(1);
        store(d - 1, Kind::kBool, as_bool(truth(load(d - 1, k), k)));
        return true;
      }
      case Op::kJump:
        b_.CreateBr(jump(i, in.target));
        return true;
      case Op::kPopJumpIfFalse:
      case Op::kPopJumpIfTrue:
      case Op::kJumpIfFalseOrPop:
      case Op::kJumpIfTrueOrPop: {
        Kind k = kind_at(1);
        Value* t = truth(load(d - 1, k), k);
        BasicBlock* target = jump(i, in.target);
        bool on_true =
            in.op == Op::kPopJumpIfTrue || in.op == Op::kJumpIfTrueOrPop;
        BasicBlock* next = blocks_[i + 1];
        b_.CreateCondBr(t, on_true ? target : next, on_true ? next : target);
        return true;
      }
      case Op::kGetIter:
        // A range iterator is the range's slots and its start; a sequence's
        // is the object (where the sequence was) and the next index (b).
        if (is_sequence(kind_at(1))) {
          b_.CreateStore(i64c(0), slots_.b[d - 1]);
        } else {
          b_.CreateStore(b_.CreateLoad(i64_, slots_.a[d - 1]),
                         slots_.first[d - 1]);
        }
        return true;
      case Op::kForIter: {
        size_t it = d - 1;
        if (s.stack[it].kind == Kind::kSequenceIter) {
          sequence_next(it, d, static_cast<Kind>(s.stack[it].ref),
                        blocks_[in.target]);
          return true;
        }
        if (chunks_[i] == nullptr) {
          range_step(it, d, blocks_[in.target]);
        } else {
          range_next(it, d, blocks_[i], chunks_[i], blocks_[in.target]);
        }
        return true;
      }
      case Op::kCall:
        return call(i, why);
      case Op::kReturn: {
        Kind k = kind_at(1);
        if (k != Kind::kNone) b_.CreateStore(load(d - 1, k), result_out_);
        if (heap_mark_ != nullptr) {
          b_.CreateCall(
              helper("pyhooks_jit_heap_release", b_.getVoidTy(), {ptr_, i64_}),
              {context_arg(), heap_mark_});
        }
        return_status(llvm::ConstantInt::get(i32_, 0));
        return true;
      }
      case Op::kPopTop:
        return true;
      case Op::kCopy:
        move(d - in.arg, d, kind_at(in.arg));
        return true;
      case Op::kSwap: {
        size_t top = d - 1, other = d - in.arg;
        Kind kt = kind_at(1), ko = kind_at(in.arg);
        move(top, d, kt);  // the slot above the stack as a temporary
        move(other, top, ko);
        move(d, other, kt);
        return true;
      }
      case Op::kSubscr:
        subscript(d, kind_at(2), kind_at(1));
        return true;
      case Op::kStoreSubscr:
        store_subscript(d, kind_at(3), kind_at(1));
        return true;
      case Op::kBuildList:
        build_list(d, static_cast<size_t>(in.arg),
                   plan_->in[i + 1].stack.back().kind);
        return true;
      case Op::kUnpackSequence:
        unpack_sequence(d, kind_at(1), static_cast<size_t>(in.arg));
        return true;
    }
    return true;
  }

  // A jump's destination. A back-edge polls for signals first, unless it
  // closes a range loop: it goes on with the loop's chunk, whose start polls.
  BasicBlock* jump(size_t from, int32_t to) {
    if (static_cast<size_t>(to) > from) return blocks_[to];
    if (chunks_[to] != nullptr) return chunks_[to];
    poll(i64c(1));
    return blocks_[to];
  }

  // FOR_ITER over a range runs in chunks of at most kChunk values, so that
  // the loop LLVM sees innermost has no call and a trip count it can compute
  // (to unroll and vectorise it): `head` (the loop's entry) ends the loop or
  // starts a chunk, and polls for signals once for its values; the
  // back-edges go to `chunk`, which hands out the chunk's values.
  void range_next(size_t it, size_t d, BasicBlock* head, BasicBlock* chunk,
                  BasicBlock* done) {
    auto [cur, stop, step, up] = range_more(it, done, "chunk_start");
    // Values left: (distance - 1) / |step| + 1, in unsigned arithmetic (the
    // distance and |step| may not fit in a signed word).
    Value* distance =
        b_.CreateSelect(up, b_.CreateSub(stop, cur), b_.CreateSub(cur, stop));
    Value* magnitude = b_.CreateSelect(up, step, b_.CreateNeg(step));
    Value* left = b_.CreateAdd(
        b_.CreateUDiv(b_.CreateSub(distance, i64c(1)), magnitude), i64c(1));
    Value* take = b_.CreateSelect(b_.CreateICmpULT(left, i64c(kChunk)), left,
                                  i64c(kChunk));
    poll(take);
    // The next chunk's start.
    Value* span = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smul_with_overflow,
                                           take, step);
    advance(it, cur, b_.CreateExtractValue(span, 0), stop,
            b_.CreateExtractValue(span, 1));
    b_.CreateStore(cur, slots_.next[it]);
    b_.CreateStore(take, slots_.left[it]);
    b_.CreateBr(chunk);

    b_.SetInsertPoint(chunk);
    Value* rest = b_.CreateLoad(i64_, slots_.left[it]);
    BasicBlock* body = BasicBlock::Create(ctx_, "next", fn_);
    b_.CreateCondBr(b_.CreateICmpNE(rest, i64c(0)), body, head);
    b_.SetInsertPoint(body);
    Value* value = b_.CreateLoad(i64_, slots_.next[it]);
    b_.CreateStore(b_.CreateSub(rest, i64c(1)), slots_.left[it]);
    // Only the value after the range's last can overflow, and it is never
    // read: the chunk ends first.
    b_.CreateStore(b_.CreateNSWAdd(value, step), slots_.next[it]);
    // The value lies between the range's start and its stop, which LLVM
    // cannot see through the chunks: said, so that an index known to be
    // non-negative skips the from-the-end rule, and a sum of two indexes
    // below a list's size skips its overflow check.
    // (Removed after the first simplification: codegen.h, kRangeFact.)
    Value* first = b_.CreateLoad(i64_, slots_.first[it]);
    for (Value* fact : {b_.CreateSelect(up, b_.CreateICmpSGE(value, first),
                                        b_.CreateICmpSLE(value, first)),
                        b_.CreateSelect(up, b_.CreateICmpSLT(value, stop),
                                        b_.CreateICmpSGT(value, stop))}) {
      b_.CreateAssumption(fact)->setMetadata(kRangeFact,
                                             llvm::MDNode::get(ctx_, {}));
    }
    store(d, Kind::kInt, value);
  }

  // FOR_ITER over a range whose body is too long to chunk: the next value,
  // or the loop's end (its back-edges poll, as a while loop's do).
  void range_step(size_t it, size_t d, BasicBlock* done) {
    auto [cur, stop, step, up] = range_more(it, done, "next");
    store(d, Kind::kInt, cur);
    advance(it, cur, step, stop, b_.getFalse());
  }

  // The range iterator at `it` (its next value, stop, step, and whether the
  // step is positive): branches to `done` if no value is left, else goes on
  // in a new block `name`.
  struct RangeView {
    Value *cur, *stop, *step, *up;
  };
  RangeView range_more(size_t it, BasicBlock* done, const char* name) {
    Value* cur = b_.CreateLoad(i64_, slots_.a[it]);
    Value* stop = b_.CreateLoad(i64_, slots_.b[it]);
    Value* step = b_.CreateLoad(i64_, slots_.c[it]);
    Value* up = b_.CreateICmpSGT(step, i64c(0));
    Value* more = b_.CreateSelect(up, b_.CreateICmpSLT(cur, stop),
                                  b_.CreateICmpSGT(cur, stop));
    BasicBlock* rest = BasicBlock::Create(ctx_, name, fn_);
    b_.CreateCondBr(more, rest, done);
    b_.SetInsertPoint(rest);
    return {cur, stop, step, up};
  }

  // Stores cur + delta as the iterator's next value; `stop` instead if
  // that (or `delta` itself, `delta_overflowed`) is past the int range,
  // which is past the range's end too.
  void advance(size_t it, Value* cur, Value* delta, Value* stop,
               Value* delta_overflowed) {
    Value* sum = b_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow,
                                          cur, delta);
    Value* overflow =
        b_.CreateOr(delta_overflowed, b_.CreateExtractValue(sum, 1));
    b_.CreateStore(
        b_.CreateSelect(overflow, stop, b_.CreateExtractValue(sum, 0)),
        slots_.a[it]);
  }

  // Runs pending signal handlers when the tick count, advanced by `ticks`
  // (back-edges taken, at most kChunk), passes a multiple of kChunk.
  void poll(Value* ticks) {
    Value* before = b_.CreateLoad(i64_, tick_);
    Value* tick = b_.CreateAdd(before, ticks);
    b_.CreateStore(tick, tick_);
    BasicBlock* check = BasicBlock::Create(ctx_, "poll", fn_);
    BasicBlock* go_on = BasicBlock::Create(ctx_, "go_on", fn_);
    b_.CreateCondBr(
        b_.CreateICmpUGT(b_.CreateXor(before, tick), i64c(kPollMask)), check,
        go_on, llvm::MDBuilder(ctx_).createBranchWeights(1, 4095));
    b_.SetInsertPoint(check);
    Value* status = b_.CreateCall(helper("pyhooks_jit_poll", i32_, {ptr_}),
                                  {context_arg()});
    b_.CreateCondBr(b_.CreateICmpNE(status, llvm::ConstantInt::get(i32_, 0)),
                    error_, go_on);
    b_.SetInsertPoint(go_on);
  }

  bool call(size_t i, std::string* why) {
    const ir::Instr& in = plan_->ir->code[i];
    const State& s = plan_->in[i];
    const size_t d = s.stack.size();
    const size_t argc = static_cast<size_t>(in.arg);
    const size_t base = d - argc;  // first argument's slot
    const size_t out = base - 2;   // where the result goes
    jit::Value callee = s.stack[base - 1].kind == Kind::kNull
                            ? s.stack[base - 2]
                            : s.stack[base - 1];
    std::vector<Value*> args;
    std::vector<Kind> kinds;
    for (size_t a = 0; a < argc; ++a) {
      Kind k = s.stack[base + a].kind;
      kinds.push_back(k);
      if (is_number(k) || is_sequence(k)) args.push_back(load(base + a, k));
    }
    Kind result = plan_->in[i + 1].reached ? plan_->in[i + 1].stack.back().kind
                                           : Kind::kUnvisited;
    switch (callee.kind) {
      case Kind::kFunction: {
        int32_t target = plan_->callee[i];
        std::vector<Value*> call_args = args;
        call_args.push_back(b_.CreateSub(budget_arg(), i64c(1)));
        call_args.push_back(context_arg());
        Value* returned = b_.CreateCall(functions_[target], call_args);
        Value* status = b_.CreateExtractValue(returned, 0);
        BasicBlock* ok = BasicBlock::Create(ctx_, "returned", fn_);
        BasicBlock* fail = BasicBlock::Create(ctx_, "propagate", fn_);
        b_.CreateCondBr(
            b_.CreateICmpEQ(status, llvm::ConstantInt::get(i32_, 0)), ok, fail);
        b_.SetInsertPoint(fail);
        return_status(status);
        b_.SetInsertPoint(ok);
        Kind rk = unit_.plans[target]->result;
        if (rk != Kind::kNone) {
          store(out, rk, b_.CreateExtractValue(returned, 1));
        }
        return true;
      }
      case Kind::kBuiltin:
        return builtin(static_cast<Builtin>(callee.ref), args, kinds, out,
                       result);
      case Kind::kMathFunc: {
        Kind kr;
        Value* r =
            math_call(static_cast<MathFunc>(callee.ref), args, kinds, &kr);
        if (r == nullptr) {
          *why = "internal error: no code for this math function";
          return false;
        }
        store(out, kr, r);
        return true;
      }
      default:
        *why = "internal error: a call of a non-callable";
        return false;
    }
  }

  bool builtin(Builtin which, const std::vector<Value*>& args,
               const std::vector<Kind>& kinds, size_t out, Kind result) {
    switch (which) {
      case Builtin::kRange: {
        Value* start = args.size() >= 2 ? args[0] : i64c(0);
        Value* stop = args.size() >= 2 ? args[1] : args[0];
        Value* step = args.size() == 3 ? args[2] : i64c(1);
        if (args.size() == 3) check_deopt(b_.CreateICmpEQ(step, i64c(0)));
        b_.CreateStore(start, slots_.a[out]);
        b_.CreateStore(stop, slots_.b[out]);
        b_.CreateStore(step, slots_.c[out]);
        return true;
      }
      case Builtin::kAbs:
        if (kinds[0] == Kind::kFloat) {
          store(out, Kind::kFloat, unary_math(llvm::Intrinsic::fabs, args[0]));
        } else {
          check_deopt(b_.CreateICmpEQ(args[0], i64c(INT64_MIN)));
          store(out, Kind::kInt,
                b_.CreateSelect(b_.CreateICmpSLT(args[0], i64c(0)),
                                b_.CreateNeg(args[0]), args[0]));
        }
        return true;
      case Builtin::kMin:
      case Builtin::kMax: {
        // Python keeps the first of equal items and replaces only when
        // `item < best` (min) or `item > best` (max): nan and -0.0 follow.
        Value* best = args[0];
        bool is_float = kinds[0] == Kind::kFloat;
        for (size_t a = 1; a < args.size(); ++a) {
          Value* better;
          if (which == Builtin::kMin) {
            better = is_float ? b_.CreateFCmpOLT(args[a], best)
                              : b_.CreateICmpSLT(args[a], best);
          } else {
            better = is_float ? b_.CreateFCmpOGT(args[a], best)
                              : b_.CreateICmpSGT(args[a], best);
          }
          best = b_.CreateSelect(better, args[a], best);
        }
        store(out, result, best);
        return true;
      }
      case Builtin::kInt:
        store(out, Kind::kInt,
              kinds[0] == Kind::kFloat ? float_to_int(args[0]) : args[0]);
        return true;
      case Builtin::kFloat:
        store(out, Kind::kFloat, to_float(args[0], kinds[0]));
        return true;
      case Builtin::kBool:
        store(out, Kind::kBool, as_bool(truth(args[0], kinds[0])));
        return true;
      case Builtin::kRound:
        store(out, Kind::kInt,
              kinds[0] == Kind::kFloat
                  ? float_to_int(unary_math(llvm::Intrinsic::rint, args[0]))
                  : args[0]);
        return true;
      case Builtin::kLen:
        store(out, Kind::kInt, size_of(b_.CreateIntToPtr(args[0], ptr_)));
        return true;
      case Builtin::kCount:
        break;
    }
    return false;
  }

  const Unit& unit_;
  llvm::LLVMContext& ctx_;
  std::unique_ptr<llvm::Module> module_;
  IRBuilder<> b_;
  llvm::Type *i64_, *i32_, *f64_;
  llvm::PointerType* ptr_;
  std::vector<llvm::Function*> functions_;
  std::vector<int64_t> heights_;  // per plan: the budget its entry asks for
  std::vector<bool> recursive_;   // per plan: its calls can recurse

  const Plan* plan_ = nullptr;
  llvm::Function* fn_ = nullptr;
  std::vector<BasicBlock*> blocks_;
  std::vector<BasicBlock*> chunks_;  // per range FOR_ITER: its back-edges'
  std::vector<bool> jump_targets_;   // per instruction: some jump lands on it
  BasicBlock* deopt_ = nullptr;
  BasicBlock* error_ = nullptr;
  BasicBlock* exit_ = nullptr;              // the one return (see function)
  llvm::AllocaInst* status_out_ = nullptr;  // ... its status
  llvm::AllocaInst* result_out_ = nullptr;  // ... its result
  Slots slots_;
  llvm::AllocaInst* helper_out_ = nullptr;  // a runtime helper's out-value
  llvm::AllocaInst* tick_ = nullptr;
  Value* heap_mark_ = nullptr;  // the heap's mark at entry, if it makes lists
};

}  // namespace

std::unique_ptr<llvm::Module> generate(const Unit& unit,
                                       const std::string& entry_name,
                                       llvm::LLVMContext* context,
                                       std::string* why) {
  return UnitCodegen(unit, context).run(entry_name, why);
}

}  // namespace jit
