// plugins/jit/backend_loader.h - opens the LLVM backend library
// (jit/pyhooks_jit_llvm.so in the plugin's own directory) at the first
// compile and makes an engine with it (see engine.h for why it is separate).
#pragma once

#include <memory>
#include <string>

#include "engine.h"

namespace jit {

// An engine, or nullptr and *why (which names the library and what to do).
std::unique_ptr<Engine> load_engine(int opt_level, Engine::SymbolSink sink,
                                    std::string* why);

}  // namespace jit
