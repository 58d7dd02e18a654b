// plugins/jit/thread_state.h - what compiled code must know about the
// calling thread that only CPython's per-minor PyThreadState layout tells:
// whether sys.settrace/sys.setprofile is active (then the frame runs in the
// interpreter, so line events, breakpoints and coverage stay exact) and how
// many Python frames the recursion limit still allows. One file per minor
// (thread_state_311.cc, ...), each compiled against that minor's headers.
#pragma once

#include <cstdint>

namespace jit {

struct ThreadFacts {
  bool tracing;                 // a trace or profile function is set
  int64_t recursion_remaining;  // Python frames still allowed
};

using ThreadFactsFn = ThreadFacts (*)();

ThreadFacts thread_facts_311();
ThreadFacts thread_facts_312();
ThreadFacts thread_facts_313();

// The reader for a CPython minor this build holds, or nullptr.
ThreadFactsFn thread_facts_for_minor(int minor);

}  // namespace jit
