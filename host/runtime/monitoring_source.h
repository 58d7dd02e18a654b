// host/runtime/monitoring_source.h - observer events from sys.monitoring
// (PEP 669, CPython 3.12+).
//
// For observer-only chains on 3.12+ this is the default event source: it
// leaves CPython's call inlining and specialization alone (measured cheaper
// than owning the eval-frame slot, docs/performance.md), adds no C frame per
// call (so recursion limits are untouched), and per-code DISABLE becomes
// sys.monitoring's own DISABLE, which makes filtered code free.
//
// One host-owned tool id (4, else 3, else 5; never 2, which cProfile takes)
// with C callbacks. A per-thread shadow stack pairs every exit event with the
// enter event it closes (by frame address), so that the stream a plugin sees
// is identical to the eval-frame source's: exits of frames entered before
// activation are dropped, and each observer gets exactly the exits it is
// owed (tests/python/test_event_sources.py compares the two).
#pragma once

#include <Python.h>

#include <cstdint>

#include "../compat/compat.h"
#include "chain.h"
#include "ref.h"

namespace pyhooks {

class InterpreterHost;
struct CodeState;

class MonitoringSource {
 public:
  explicit MonitoringSource(InterpreterHost& host) : host_(host) {}

  bool active() const { return tool_id_ >= 0; }
  int tool_id() const { return tool_id_; }
  uint64_t events() const { return events_; }

  // Subscribes to the events `chain`'s observers want. With `rearm`,
  // DISABLEd locations are re-armed (a new observer must see code that
  // others disabled). Python exception on failure.
  bool activate(const Chain& chain, bool rearm);
  // Stops delivering events. With `drain`, activations that entered through
  // this source still get their exit events (the eval-frame hook takes over
  // new frames): only exit events stay subscribed until none is open.
  void deactivate(bool drain = false);
  // In a forked child only the forking thread's open frames remain.
  void after_fork_child();

  // Callback bodies (the C functions registered with sys.monitoring).
  PyObject* on_enter(PyObject* code, int32_t event, bool thrown);
  PyObject* on_exit(PyObject* code, int32_t event, bool may_disable);

  // One open activation of a thread that some observer is owed the exit of
  // (innermost last in that thread's shadow stack).
  struct ShadowFrame {
    phc_frame* frame;
    const Chain* chain;
    ObserverMask owed;
    CodeState* code_state;
  };

 private:
  bool can_disable_exit(PyObject* code);
  void deliver(const ShadowFrame& open, PyObject* code, int32_t event,
               PyThreadState* tstate);
  bool claim_tool_id();
  bool register_callbacks();

  InterpreterHost& host_;
  int tool_id_ = -1;
  uint64_t epoch_ = 0;  // distinguishes activations in thread shadows
  uint64_t events_ = 0;
  bool track_exits_ = false;  // exits subscribed: keep shadow stacks
  bool draining_ = false;     // only exits of open activations remain
  int64_t open_frames_ = 0;   // shadow-stack entries over all threads
  Ref<> monitoring_;          // the sys.monitoring namespace
  Ref<> disable_;             // sys.monitoring.DISABLE
  Ref<> self_;                // capsule passed to our C callbacks
};

}  // namespace pyhooks
