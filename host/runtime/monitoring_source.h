// host/runtime/monitoring_source.h - observer events from sys.monitoring
// (PEP 669, CPython 3.12+).
//
// On 3.12+ this is where observers get their events, whether or not the
// eval-frame hook is also installed for evaluators: it leaves CPython's call
// inlining and specialization alone, adds no C frame per call (recursion
// limits are untouched), turns per-code DISABLE into sys.monitoring's own
// DISABLE (filtered code is nearly free), and reports a return before the
// returning frame's locals are released, as cProfile does. When evaluators
// are active, the hook announces START for the frames it offers them (so
// that code an evaluator runs nests inside the frame) and delivers the exit
// of frames that never ran bytecode (HANDLED, or failed); this source then
// absorbs its own PY_START for an announced frame. See
// docs/internals/event-sources.md.
//
// One host-owned tool id (4, else 3, else 5; never 2, which cProfile takes)
// with C callbacks. Exit events are paired with enter events through
// per-thread shadow stacks (shadow_stacks.h).
//
// The C-call events (ABI 1.1: C_CALL, C_RETURN, C_RAISE) come from here
// only, whichever source serves frame events: while an active observer
// declares one, the same tool id subscribes to CALL, C_RETURN and C_RAISE
// (the source is then "on" for C calls even when the hook delivers the
// frame events, `frames` false in activate). CALL fires for every call, so
// it is subscribed only then.
#pragma once

#include <Python.h>

#include <cstdint>
#include <vector>

#include "chain.h"
#include "frame_view.h"
#include "ref.h"
#include "shadow_stacks.h"

namespace pyhooks {

struct DispatchContext;

class MonitoringSource {
 public:
  explicit MonitoringSource(DispatchContext& dispatch) : dispatch_(dispatch) {}

  // True while this source delivers frame events (START ... UNWIND).
  bool active() const { return tool_id_ >= 0 && frames_on_; }
  // True while it delivers C-call events.
  bool c_calls_on() const { return tool_id_ >= 0 && c_calls_; }
  int tool_id() const { return tool_id_; }
  uint64_t events() const { return events_; }

  // Subscribes to the events `chain`'s observers want: the frame events
  // only with `frames` (else the hook delivers them; frames that entered
  // here still get their exits), the C-call events if any observer declares
  // one. With `rearm`, DISABLEd locations are re-armed (a new observer must
  // see code that others disabled). Python exception on failure.
  bool activate(const Chain& chain, bool rearm, bool frames = true);
  // Stops delivering events. With `drain`, activations that entered through
  // this source still get their exit events: only exit events stay
  // subscribed until none is open.
  void deactivate(bool drain = false);
  // In a forked child only the forking thread's open frames remain.
  void after_fork_child();
  // The chains that open activations were entered under.
  void collect_chains(std::vector<const Chain*>& chains) const {
    shadows_.collect_chains(chains);
  }

  // The hook is about to offer a fresh frame to evaluators: START now.
  void announce_start(FrameView& view);
  // After the evaluators: if the announced frame never ran bytecode, its
  // exit comes from here (RETURN, or UNWIND when `result` is NULL).
  void finish_announced(FrameView& view, PyObject* result);

  // Callback bodies (the C functions registered with sys.monitoring).
  PyObject* on_enter(PyObject* code, int32_t event, bool thrown);
  // `value`: what sys.monitoring passed (the return or yield value, or the
  // exception for PY_UNWIND), borrowed; it becomes pyhooks_frame.value.
  PyObject* on_exit(PyObject* code, int32_t event, bool may_disable,
                    PyObject* value);
  // `self_arg`: sys.monitoring's arg0 (MISSING when the call has no
  // argument), borrowed.
  PyObject* on_c_call(PyObject* code, PyObject* callable, PyObject* self_arg);
  PyObject* on_c_exit(PyObject* code, int32_t event, PyObject* callable,
                      PyObject* self_arg);

 private:
  bool claim_tool_id();
  bool register_callbacks();
  PyObject* deliver_c_call(PyObject* code, PyObject* callable,
                           PyObject* self_arg, CodeState* code_state);
  bool can_disable_exit(PyObject* code);
  // Every observer has DISABLEd this code (filtered it out).
  bool unobserved(CodeState* code_state);
  // The sys.monitoring events the current state needs; set_events with them
  // (a full stop when none). Python exception on failure.
  int subscribed_events() const;
  bool apply_events();
  // The last open activation's exit arrived while draining.
  void finish_draining();
  FrameView make_view(PyObject* code, PyThreadState* tstate, const Chain* chain,
                      CodeState* code_state);
  void open_activation(ThreadShadow& shadow, FrameView& view,
                       ObserverMask owed);

  DispatchContext& dispatch_;
  int tool_id_ = -1;
  uint64_t events_ = 0;
  ShadowStacks shadows_;
  bool track_exits_ = false;      // exits subscribed: keep shadow stacks
  bool frames_on_ = false;        // frame events delivered from here
  bool draining_ = false;         // only exits of open activations remain
  bool c_calls_ = false;          // C-call events subscribed
  int frame_events_ = 0;          // sys.monitoring events for frames
  int64_t open_frames_ = 0;       // shadow-stack entries over all threads
  Ref<> monitoring_;              // the sys.monitoring namespace
  Ref<> disable_;                 // sys.monitoring.DISABLE
  Ref<> missing_;                 // sys.monitoring.MISSING
  std::vector<Ref<>> callbacks_;  // registered; they point back here
};

}  // namespace pyhooks
