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
#pragma once

#include <Python.h>

#include <cstdint>
#include <vector>

#include "chain.h"
#include "frame_view.h"
#include "ref.h"
#include "shadow_stacks.h"

namespace pyhooks {

class InterpreterHost;
struct CallbackTarget;

class MonitoringSource {
 public:
  explicit MonitoringSource(InterpreterHost& host) : host_(host) {}

  bool active() const { return tool_id_ >= 0 && !draining_; }
  int tool_id() const { return tool_id_; }
  uint64_t events() const { return events_; }

  // Subscribes to the events `chain`'s observers want. With `rearm`,
  // DISABLEd locations are re-armed (a new observer must see code that
  // others disabled). Python exception on failure.
  bool activate(const Chain& chain, bool rearm);
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

 private:
  bool claim_tool_id();
  bool register_callbacks();
  bool can_disable_exit(PyObject* code);
  FrameView make_view(PyObject* code, PyThreadState* tstate, const Chain* chain,
                      CodeState* code_state);
  void open_activation(ThreadShadow& shadow, FrameView& view,
                       ObserverMask owed);

  InterpreterHost& host_;
  int tool_id_ = -1;
  uint64_t events_ = 0;
  ShadowStacks shadows_;
  bool track_exits_ = false;          // exits subscribed: keep shadow stacks
  bool draining_ = false;             // only exits of open activations remain
  int64_t open_frames_ = 0;           // shadow-stack entries over all threads
  Ref<> monitoring_;                  // the sys.monitoring namespace
  Ref<> disable_;                     // sys.monitoring.DISABLE
  Ref<> self_;                        // `self` of our C callbacks
  CallbackTarget* target_ = nullptr;  // self_'s: points back here
};

}  // namespace pyhooks
