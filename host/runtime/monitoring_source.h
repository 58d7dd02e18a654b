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

#include "chain.h"
#include "ref.h"

namespace pyhooks {

class InterpreterHost;

class MonitoringSource {
 public:
  explicit MonitoringSource(InterpreterHost& host) : host_(host) {}

  bool active() const { return tool_id_ >= 0; }
  int tool_id() const { return tool_id_; }
  uint64_t events() const { return events_; }

  // Subscribes to the events `chain`'s observers want (again, after a
  // change: DISABLEd locations are re-armed). Python exception on failure.
  bool activate(const Chain& chain);
  void deactivate();

  // Callback bodies (the C functions registered with sys.monitoring).
  PyObject* on_enter(PyObject* code, int32_t event, bool thrown);
  PyObject* on_exit(PyObject* code, int32_t event, bool may_disable);

 private:
  bool claim_tool_id();
  bool register_callbacks();

  InterpreterHost& host_;
  int tool_id_ = -1;
  uint64_t epoch_ = 0;  // distinguishes activations in thread shadows
  uint64_t events_ = 0;
  bool track_exits_ = false;  // exits subscribed: keep shadow stacks
  Ref<> monitoring_;          // the sys.monitoring namespace
  Ref<> disable_;             // sys.monitoring.DISABLE
  Ref<> self_;                // capsule passed to our C callbacks
};

}  // namespace pyhooks
