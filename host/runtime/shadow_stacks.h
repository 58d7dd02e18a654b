// host/runtime/shadow_stacks.h - per-thread records of open activations,
// for the sys.monitoring event source.
//
// sys.monitoring reports a frame's enter and exit as separate callbacks; an
// observer must get exactly one exit per enter it received. Each thread
// keeps the activations that are owed an exit (`open`), matched by frame
// address, and the frames the eval-frame hook has already announced
// (`announced`: START delivered before any bytecode ran, so sys.monitoring's
// own PY_START for that frame must not be delivered again), and the C calls
// owed a C_RETURN or C_RAISE (`c_calls`).
//
// Records belong to one interpreter's source and are keyed by thread state;
// consecutive events almost always come from the same thread, so the last
// thread's records are cached. All access is under the interpreter's GIL.
#pragma once

#include <Python.h>

#include <memory>
#include <unordered_map>
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

// A stack of ShadowFrames whose push and pop are a few inline
// instructions: the storage only grows (to the thread's deepest nesting), so
// the per-event path never allocates nor calls out of line.
class ShadowStack {
 public:
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ShadowFrame& operator[](size_t i) { return storage_[i]; }
  const ShadowFrame& operator[](size_t i) const { return storage_[i]; }
  ShadowFrame& back() { return storage_[size_ - 1]; }
  void pop_back() { --size_; }
  void push_back(const ShadowFrame& frame) {
    if (__builtin_expect(size_ == storage_.size(), 0)) {
      storage_.resize(storage_.size() * 2 + 64);
    }
    storage_[size_++] = frame;
  }

 private:
  std::vector<ShadowFrame> storage_;
  size_t size_ = 0;
};

// A C call (C_CALL delivered) whose C_RETURN or C_RAISE is owed, matched by
// the calling frame and the callable (C calls nest on the thread's C stack).
struct CCallRecord {
  phc_frame* frame;
  PyObject* callable;  // borrowed: the caller's stack holds it meanwhile
  const Chain* chain;
  ObserverMask owed;
  CodeState* code_state;
};

struct ThreadShadow {
  ShadowStack open;                    // innermost last
  std::vector<ShadowFrame> announced;  // innermost last
  std::vector<CCallRecord> c_calls;    // innermost last
};

class ShadowStacks {
 public:
  ThreadShadow& of(PyThreadState* tstate) {
    if (tstate == last_tstate_) {
      return *last_;
    }
    return lookup(tstate);
  }
  // Forgets every thread's records (a new activation must not pair with an
  // older one's; in a forked child other threads are gone).
  void clear();
  // Keeps only `tstate`'s records (after fork).
  void keep_only(PyThreadState* tstate);
  // Adds to `chains` every chain that an open or announced record of any
  // thread names (the host keeps those snapshots alive).
  void collect_chains(std::vector<const Chain*>& chains) const;

 private:
  ThreadShadow& lookup(PyThreadState* tstate);

  PyThreadState* last_tstate_ = nullptr;
  ThreadShadow* last_ = nullptr;
  // A thread's records outlive it only while its PyThreadState address is
  // not reused; a thread ends with no open activation, so reuse is harmless.
  std::unordered_map<PyThreadState*, std::unique_ptr<ThreadShadow>> threads_;
};

}  // namespace pyhooks
