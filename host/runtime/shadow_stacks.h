// host/runtime/shadow_stacks.h - per-thread records of open activations,
// for the sys.monitoring event source.
//
// sys.monitoring reports a frame's enter and exit as separate callbacks; an
// observer must get exactly one exit per enter it received. Each thread
// keeps, per source, the activations that are owed an exit (`open`), matched
// by frame address, and the frames the eval-frame hook has already announced
// (`announced`: START delivered before any bytecode ran, so sys.monitoring's
// own PY_START for that frame must not be delivered again).
#pragma once

#include <cstdint>
#include <vector>

#include "../compat/compat.h"
#include "chain.h"

namespace pyhooks {

struct CodeState;

struct ShadowFrame {
  phc_frame* frame;
  const Chain* chain;  // the chain the enter was delivered under
  ObserverMask owed;
  CodeState* code_state;
};

struct ThreadShadow {
  std::vector<ShadowFrame> open;       // innermost last
  std::vector<ShadowFrame> announced;  // innermost last
};

// This thread's records for `source`; cleared when `epoch` changes (a new
// activation of the source must not pair with an older one's records).
ThreadShadow& thread_shadow(const void* source, uint64_t epoch);

}  // namespace pyhooks
