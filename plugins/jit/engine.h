// plugins/jit/engine.h - LLVM's ORC LLJIT behind a small interface: compile
// a typed unit at an optimisation level, get its native entry, release it
// when its code object dies. One Engine per plugin instance (interpreter).
// Machine code is reported symbol by symbol (address, size) to a sink, which
// the plugin writes to the perf map.
//
// The engine lives in its own library, jit/pyhooks_jit_llvm.so beside the
// plugin, the only one linking LLVM: loading libLLVM and running its static
// initialisers costs a large part of a second, so the plugin opens it at
// the first compile (backend_loader.h) and a program with nothing to
// compile never pays for LLVM.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "runtime.h"
#include "type_infer.h"

namespace jit {

class Engine {
 public:
  using SymbolSink = std::function<void(const std::string& symbol,
                                        uint64_t address, uint64_t size)>;
  struct Compiled {
    NativeEntry entry = nullptr;
    uint64_t handle = 0;  // for release()
  };
  // What dump_ir shows.
  struct Dumps {
    bool wanted = false;
    std::string optimized;  // the optimised LLVM IR
  };

  virtual ~Engine() = default;
  // Compiles `unit` with its entry named `entry_name` (unique per engine).
  virtual Compiled compile(const Unit& unit, const std::string& entry_name,
                           Dumps* dumps, std::string* why) = 0;
  // Frees the machine code of a compiled unit.
  virtual void release(uint64_t handle) = 0;
};

// The backend library's one export: an engine at opt_level 0..3 (the new
// pass manager's O0..O3), or nullptr and *why.
using CreateEngineFn = Engine* (*)(int opt_level,
                                   const Engine::SymbolSink* sink,
                                   std::string* why);
#define PYHOOKS_JIT_BACKEND_ENTRY "pyhooks_jit_create_engine"

}  // namespace jit
