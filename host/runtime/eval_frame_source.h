// host/runtime/eval_frame_source.h - the PEP 523 eval-frame hook: observer
// events and the evaluator chain.
//
// Installed only while some plugin needs it (any evaluator; observers on 3.11
// or when asked for), because merely installing it stops CPython 3.11+ from
// inlining Python-to-Python calls. At install, a foreign evaluator already in
// the slot becomes the chain's terminator; at uninstall the previous
// evaluator is restored only if the slot still holds ours.
// docs/internals/chain.md walks one call through this file.
#pragma once

#include <cstdint>
#include <string>

#include "../compat/compat.h"
#include "chain.h"
#include "frame_view.h"

namespace pyhooks {

struct DispatchContext;
struct CodeState;

class EvalFrameSource {
 public:
  explicit EvalFrameSource(DispatchContext& dispatch) : dispatch_(dispatch) {}

  bool installed() const { return installed_; }
  void install();
  void uninstall();
  // Re-reads the slot; reports once if another tool replaced the hook.
  void check_displaced();

  // Frames that reached the hook while plugins were active.
  uint64_t frames() const { return frames_; }
  // Address and library of the evaluator that was there before, if any.
  std::string terminator_description() const;

  // The hook's work for one frame when the chain has observers (or nothing
  // at all); out of line, so that `hook` only tail-calls.
  // kTrampolines: the chain has an interpreter trampoline evaluator.
  template <bool kTrampolines>
  __attribute__((noinline)) PyObject* dispatch(PyThreadState* tstate,
                                               phc_frame* frame, int throwflag);
  // Runs evaluator links [first, end) then the terminator (eval_next).
  PyObject* run_evaluators(FrameView& view, uint32_t first);
  // An evaluator's eval_next: the links after the one running, then the
  // terminator.
  PyObject* eval_next(FrameView& view);

  // The function in the slot, shared by every interpreter.
  static PyObject* hook(PyThreadState* tstate, phc_frame* frame, int throwflag);

 private:
  struct Settled {
    bool finished;     // the frame's outcome is decided: return `result`
    PyObject* result;  // new reference, or NULL with an exception set
  };
  __attribute__((noinline)) Settled settle(FrameView& view,
                                           const EvaluatorLink& link,
                                           pyhooks_status status,
                                           PyObject* result, bool raised);
  // run_evaluators with the code's evaluating mask already read.
  PyObject* run_links(FrameView& view, uint32_t first, uint64_t evaluating);
  // Any frame while the chain has evaluators and no observer: calls are
  // offered to the evaluators, everything else goes to the terminator; every
  // evaluator having disabled the code costs what the bare hook does, and a
  // lone evaluator runs without run_links' loop.
  template <bool kTrampolines>
  __attribute__((noinline)) PyObject* evaluate_only(PyThreadState* tstate,
                                                    phc_frame* frame,
                                                    int throwflag,
                                                    const Chain* chain);
  // One evaluate call, with the link's own per-code bytes (ABI 1.2).
  inline pyhooks_status call_evaluator(const EvaluatorLink& link,
                                       FrameView& view, PyObject** result);
  // The view's fields, each set once.
  inline void fill_view(FrameView& view, PyThreadState* tstate,
                        phc_frame* frame, int throwflag, phc_entry entry,
                        const Chain* chain, CodeState* code_state);
  // The same for a generator's frame entering other than by a call: none
  // for its creation, which runs none of the body.
  __attribute__((noinline)) pyhooks_trampoline_fn trampoline_of_generator(
      const Chain* chain, phc_frame* frame, int throwflag);
  // Inline in every caller: it is on every hooked call's path. Enters the
  // terminator through `trampoline` when there is one.
  __attribute__((always_inline)) inline PyObject* call_terminator(
      PyThreadState* tstate, phc_frame* frame, int throwflag,
      pyhooks_trampoline_fn trampoline);
  // The trampoline the chain's trampoline evaluator gave this code
  // (PYHOOKS_CAP_INTERPRETER_TRAMPOLINE), or nullptr.
  __attribute__((always_inline)) inline pyhooks_trampoline_fn trampoline_for(
      const Chain* chain, CodeState* code_state);

  DispatchContext& dispatch_;
  phc_eval_fn terminator_ = nullptr;    // what was in the slot before us
  phc_eval_fn displaced_by_ = nullptr;  // a tool that replaced our hook
  bool installed_ = false;
  uint64_t frames_ = 0;
  // Recursion accounting's call-site memo for this interpreter (compat.h).
  phc_call_memo call_memo_ = {};
};

}  // namespace pyhooks
