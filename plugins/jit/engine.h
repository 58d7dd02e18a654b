// plugins/jit/engine.h - LLVM's ORC LLJIT behind a small interface: compile
// a typed unit at an optimisation level, get its native entry, release it
// when its code object dies. One Engine per plugin instance (interpreter).
// Machine code is reported symbol by symbol (address, size) to a sink, which
// the plugin writes to the perf map.
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
  // opt_level 0..3 (the new pass manager's O0..O3 pipelines).
  static std::unique_ptr<Engine> create(int opt_level, SymbolSink sink,
                                        std::string* why);
  // Compiles `unit` with its entry named `entry_name` (unique per engine).
  virtual Compiled compile(const Unit& unit, const std::string& entry_name,
                           Dumps* dumps, std::string* why) = 0;
  // Frees the machine code of a compiled unit.
  virtual void release(uint64_t handle) = 0;
};

}  // namespace jit
