// plugins/jit/engine.cc - ORC LLJIT with the new pass manager (engine.h).
#include "engine.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/ExecutionEngine/JITEventListener.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/Object/SymbolSize.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Utils/Cloning.h>
#include <llvm/Transforms/Vectorize/SLPVectorizer.h>

#include <map>
#include <mutex>

#include "codegen.h"

namespace jit {

namespace {

// Hands every function symbol of each object the JIT loads to the sink.
class SymbolListener : public llvm::JITEventListener {
 public:
  explicit SymbolListener(Engine::SymbolSink sink) : sink_(std::move(sink)) {}
  void notifyObjectLoaded(
      ObjectKey, const llvm::object::ObjectFile& object,
      const llvm::RuntimeDyld::LoadedObjectInfo& info) override {
    llvm::object::OwningBinary<llvm::object::ObjectFile> loaded =
        info.getObjectForDebug(object);
    if (!loaded.getBinary()) return;
    for (const auto& [symbol, size] :
         llvm::object::computeSymbolSizes(*loaded.getBinary())) {
      auto type = symbol.getType();
      if (!type || *type != llvm::object::SymbolRef::ST_Function) continue;
      auto name = symbol.getName();
      auto address = symbol.getAddress();
      if (!name || !address || size == 0) continue;
      sink_(name->str(), *address, size);
    }
  }

 private:
  Engine::SymbolSink sink_;
};

std::string message(llvm::Error error) {
  return llvm::toString(std::move(error));
}

}  // namespace

class OrcEngine : public Engine {
 public:
  OrcEngine(int opt_level, SymbolSink sink)
      : opt_level_(opt_level), listener_(std::move(sink)) {}

  std::string start() {
    static std::once_flag once;
    std::call_once(once, [] {
      llvm::InitializeNativeTarget();
      llvm::InitializeNativeTargetAsmPrinter();
    });
    auto machine = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!machine) return message(machine.takeError());
    machine->setCodeGenOptLevel(opt_level_ == 0 ? llvm::CodeGenOpt::None
                                                : llvm::CodeGenOpt::Default);
    auto target = machine->createTargetMachine();
    if (!target) return message(target.takeError());
    target_ = std::move(*target);
    auto jit =
        llvm::orc::LLJITBuilder()
            .setJITTargetMachineBuilder(*machine)
            .setObjectLinkingLayerCreator(
                [this](llvm::orc::ExecutionSession& session,
                       const llvm::Triple&)
                    -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                  auto layer = std::make_unique<
                      llvm::orc::RTDyldObjectLinkingLayer>(session, [] {
                    return std::make_unique<llvm::SectionMemoryManager>();
                  });
                  layer->registerJITEventListener(listener_);
                  return layer;
                })
            .create();
    if (!jit) return message(jit.takeError());
    jit_ = std::move(*jit);
    // libm and the helpers (runtime.h) come from this process.
    auto process =
        llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
            jit_->getDataLayout().getGlobalPrefix());
    if (!process) return message(process.takeError());
    jit_->getMainJITDylib().addGenerator(std::move(*process));
    llvm::orc::MangleAndInterner mangle(jit_->getExecutionSession(),
                                        jit_->getDataLayout());
    llvm::orc::SymbolMap helpers;
    auto add = [&](const char* name, auto* function) {
      helpers[mangle(name)] =
          llvm::JITEvaluatedSymbol(llvm::pointerToJITTargetAddress(function),
                                   llvm::JITSymbolFlags::Exported);
    };
    add("pyhooks_jit_poll", &pyhooks_jit_poll);
    add("pyhooks_jit_float_mod", &pyhooks_jit_float_mod);
    add("pyhooks_jit_float_floordiv", &pyhooks_jit_float_floordiv);
    add("pyhooks_jit_float_pow", &pyhooks_jit_float_pow);
    add("pyhooks_jit_int_pow", &pyhooks_jit_int_pow);
    add("pyhooks_jit_list_new", &pyhooks_jit_list_new);
    add("pyhooks_jit_list_repeat", &pyhooks_jit_list_repeat);
    add("pyhooks_jit_list_concat", &pyhooks_jit_list_concat);
    add("pyhooks_jit_list_init_int", &pyhooks_jit_list_init_int);
    add("pyhooks_jit_list_init_float", &pyhooks_jit_list_init_float);
    add("pyhooks_jit_list_store_int", &pyhooks_jit_list_store_int);
    add("pyhooks_jit_list_store_float", &pyhooks_jit_list_store_float);
    add("pyhooks_jit_list_store_bool", &pyhooks_jit_list_store_bool);
    add("pyhooks_jit_unbox_int", &pyhooks_jit_unbox_int);
    add("pyhooks_jit_heap_mark", &pyhooks_jit_heap_mark);
    add("pyhooks_jit_heap_release", &pyhooks_jit_heap_release);
    if (auto error = jit_->getMainJITDylib().define(
            llvm::orc::absoluteSymbols(std::move(helpers)))) {
      return message(std::move(error));
    }
    return "";
  }

  Compiled compile(const Unit& unit, const std::string& entry_name,
                   Dumps* dumps, std::string* why) override {
    auto context = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> module =
        generate(unit, entry_name, context.get(), why);
    if (!module) return {};
    module->setDataLayout(target_->createDataLayout());
    module->setTargetTriple(target_->getTargetTriple().str());
    optimize(module.get());
    if (dumps != nullptr && dumps->wanted) {
      llvm::raw_string_ostream out(dumps->optimized);
      module->print(out, nullptr);
    }
    auto tracker = jit_->getMainJITDylib().createResourceTracker();
    if (auto error = jit_->addIRModule(
            tracker, llvm::orc::ThreadSafeModule(std::move(module),
                                                 std::move(context)))) {
      *why = "LLVM: " + message(std::move(error));
      return {};
    }
    auto address = jit_->lookup(entry_name);
    if (!address) {
      *why = "LLVM: " + message(address.takeError());
      if (auto error = tracker->remove()) llvm::consumeError(std::move(error));
      return {};
    }
    uint64_t handle = ++last_handle_;
    trackers_[handle] = tracker;
    return {address->toPtr<NativeEntry>(), handle};
  }

  void release(uint64_t handle) override {
    auto found = trackers_.find(handle);
    if (found == trackers_.end()) return;
    if (auto error = found->second->remove())
      llvm::consumeError(std::move(error));
    trackers_.erase(found);
  }

 private:
  // A function that calls itself gets one copy of its body inlined at
  // each of those calls, so a recursion makes half as many native calls
  // (fib: a call per two levels). LLVM's inliner never inlines a function
  // into itself; this is the same transformation, done once. Bodies above
  // kUnrollLimit instructions stay as they are.
  static void unroll_self_calls(llvm::Module* module) {
    constexpr size_t kUnrollLimit = 400;
    std::vector<llvm::Function*> functions;
    for (llvm::Function& function : *module) {
      if (!function.isDeclaration()) functions.push_back(&function);
    }
    for (llvm::Function* function : functions) {
      std::vector<llvm::CallBase*> self_calls;
      size_t size = 0;
      for (llvm::BasicBlock& block : *function) {
        for (llvm::Instruction& instruction : block) {
          ++size;
          auto* call = llvm::dyn_cast<llvm::CallBase>(&instruction);
          if (call && call->getCalledFunction() == function)
            self_calls.push_back(call);
        }
      }
      if (self_calls.empty() || size > kUnrollLimit) continue;
      llvm::ValueToValueMapTy map;
      llvm::Function* copy = llvm::CloneFunction(function, map);
      for (llvm::CallBase* call : self_calls) {
        call->setCalledFunction(copy);
        llvm::InlineFunctionInfo info;
        if (!llvm::InlineFunction(*call, info).isSuccess()) {
          call->setCalledFunction(function);  // as it was
        }
      }
      copy->eraseFromParent();
    }
  }

  // Removes codegen's range facts (codegen.h, kRangeFact) once the
  // function's first simplification has used them.
  struct DropRangeFacts : llvm::PassInfoMixin<DropRangeFacts> {
    llvm::PreservedAnalyses run(llvm::Function& function,
                                llvm::FunctionAnalysisManager&) {
      std::vector<llvm::Instruction*> facts;
      for (llvm::BasicBlock& block : function) {
        for (llvm::Instruction& instruction : block) {
          if (instruction.getMetadata(kRangeFact))
            facts.push_back(&instruction);
        }
      }
      for (llvm::Instruction* fact : facts) fact->eraseFromParent();
      if (facts.empty()) return llvm::PreservedAnalyses::all();
      llvm::PreservedAnalyses kept;
      kept.preserveSet<llvm::CFGAnalyses>();
      return kept;
    }
  };

  // SLP once more, in the functions where the loop unroller unrolled a loop
  // (it marks what it unrolled llvm.loop.unroll.disable; codegen sets no
  // loop metadata itself): the copies it made are what this packs.
  // Elsewhere it finds nothing, at a cost: 15 ms of compile time on nbody's
  // long straight-line step.
  struct VectorizeUnrolled : llvm::PassInfoMixin<VectorizeUnrolled> {
    llvm::PreservedAnalyses run(llvm::Function& function,
                                llvm::FunctionAnalysisManager& analyses) {
      if (!unrolled(function)) return llvm::PreservedAnalyses::all();
      return slp.run(function, analyses);
    }
    static bool unrolled(const llvm::Function& function) {
      for (const llvm::BasicBlock& block : function) {
        const llvm::MDNode* loop =
            block.getTerminator()->getMetadata(llvm::LLVMContext::MD_loop);
        if (loop == nullptr) continue;
        for (const llvm::MDOperand& operand : loop->operands()) {
          auto* fact = llvm::dyn_cast<llvm::MDNode>(operand.get());
          if (fact == nullptr || fact->getNumOperands() == 0) continue;
          auto* name = llvm::dyn_cast<llvm::MDString>(fact->getOperand(0));
          if (name && name->getString() == "llvm.loop.unroll.disable")
            return true;
        }
      }
      return false;
    }
    llvm::SLPVectorizerPass slp;
  };

  void optimize(llvm::Module* module) {
    if (opt_level_ >= 2) unroll_self_calls(module);
    llvm::LoopAnalysisManager loops;
    llvm::FunctionAnalysisManager functions;
    llvm::CGSCCAnalysisManager sccs;
    llvm::ModuleAnalysisManager modules;
    llvm::PassBuilder builder(target_.get());
    builder.registerModuleAnalyses(modules);
    builder.registerCGSCCAnalyses(sccs);
    builder.registerFunctionAnalyses(functions);
    builder.registerLoopAnalyses(loops);
    builder.crossRegisterProxies(loops, functions, sccs, modules);
    // The range facts go at the first peephole point of a function's
    // simplification that follows value propagation (CVP) and InstCombine,
    // which use them; not at the module's clean-up before inlining, where
    // the loops have not yet received the callees they bound.
    builder.registerPeepholeEPCallback(
        [](llvm::FunctionPassManager& passes, llvm::OptimizationLevel) {
          std::string pipeline;
          llvm::raw_string_ostream out(pipeline);
          passes.printPipeline(out, [](llvm::StringRef name) { return name; });
          if (out.str().find("CorrelatedValuePropagation") != std::string::npos)
            passes.addPass(DropRangeFacts());
        });
    // The default pipeline unrolls loops after its SLP vectoriser would
    // have run (and runs that only when asked): one more SLP pass packs the
    // unrolled copies' independent work (a reduction's divisions) into
    // vector instructions (VectorizeUnrolled). No InstCombine after it: on
    // nbody that cost 10 ms of compile time for no measurable speed.
    builder.registerOptimizerLastEPCallback(
        [](llvm::ModulePassManager& pipeline, llvm::OptimizationLevel level) {
          if (level.getSpeedupLevel() < 2) return;
          llvm::FunctionPassManager vectorize;
          vectorize.addPass(VectorizeUnrolled());
          pipeline.addPass(
              llvm::createModuleToFunctionPassAdaptor(std::move(vectorize)));
        });
    llvm::OptimizationLevel level[] = {
        llvm::OptimizationLevel::O0, llvm::OptimizationLevel::O1,
        llvm::OptimizationLevel::O2, llvm::OptimizationLevel::O3};
    llvm::ModulePassManager pipeline =
        opt_level_ == 0
            ? builder.buildO0DefaultPipeline(level[0])
            : builder.buildPerModuleDefaultPipeline(level[opt_level_]);
    pipeline.run(*module, modules);
  }

  int opt_level_;
  SymbolListener listener_;
  std::unique_ptr<llvm::TargetMachine> target_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::map<uint64_t, llvm::orc::ResourceTrackerSP> trackers_;
  uint64_t last_handle_ = 0;
};

}  // namespace jit

extern "C" __attribute__((visibility("default"))) jit::Engine*
pyhooks_jit_create_engine(int opt_level, const jit::Engine::SymbolSink* sink,
                          std::string* why) {
  try {
    auto engine = std::make_unique<jit::OrcEngine>(opt_level, *sink);
    *why = engine->start();
    if (!why->empty()) return nullptr;
    return engine.release();
  } catch (const std::exception& error) {
    *why = error.what();
    return nullptr;
  }
}

static_assert(
    std::is_same_v<decltype(&pyhooks_jit_create_engine), jit::CreateEngineFn>);
