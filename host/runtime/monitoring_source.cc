// host/runtime/monitoring_source.cc - sys.monitoring tool, callbacks and
// shadow stacks.
#include "monitoring_source.h"

#include <structmember.h>

#include <cstddef>
#include <vector>

#include "../compat/compat.h"
#include "c_function_names.h"
#include "checks.h"
#include "code_states.h"
#include "dispatch_context.h"
#include "error_stash.h"
#include "frame_view.h"
#include "observer_dispatch.h"
#include "shadow_stacks.h"

namespace pyhooks {

// Each sys.monitoring callback is an object of a small heap type that
// CPython calls through its vectorcall slot: the call lands in the event's
// function, which reaches the source with one load. (A PyCFunction would add
// a method-flags dispatch and a C recursion check per event, a capsule a
// libpython call with a name comparison.) The source never unregisters its
// callbacks: sys.monitoring.register_callback raises an audit event, and a
// program's audit hooks must see none from pyhooks at exit (test_audit).
// Deactivation empties them instead, so a callback left registered after it
// does nothing.
struct MonitoringCallback {
  PyObject_HEAD vectorcallfunc vectorcall;
  MonitoringSource* source;
};

namespace {

// sys.monitoring.events bits (stable since 3.12).
constexpr int kPyStart = 1 << 0;
constexpr int kPyResume = 1 << 1;
constexpr int kPyReturn = 1 << 2;
constexpr int kPyYield = 1 << 3;
constexpr int kCall = 1 << 4;
constexpr int kCReturn = 1 << 15;
constexpr int kCRaise = 1 << 16;
constexpr int kPyUnwind = 1 << 12;
constexpr int kPyThrow = 1 << 13;
constexpr int kFrameExits = kPyReturn | kPyYield | kPyUnwind;

constexpr uint32_t kCCallEventBits = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_CALL) |
                                     PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RETURN) |
                                     PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_C_RAISE);

constexpr int kToolIdPreference[] = {4, 3, 5};

void callback_dealloc(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  PyObject_Free(self);
  Py_DECREF(type);  // instances of a heap type hold a reference to it
}

PyMemberDef kCallbackMembers[] = {
    {"__vectorcalloffset__", T_PYSSIZET,
     offsetof(MonitoringCallback, vectorcall), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr}};
PyType_Slot kCallbackSlots[] = {
    {Py_tp_call, reinterpret_cast<void*>(PyVectorcall_Call)},
    {Py_tp_members, kCallbackMembers},
    {Py_tp_dealloc, reinterpret_cast<void*>(callback_dealloc)},
    {0, nullptr}};
PyType_Spec kCallbackSpec = {"pyhooks._MonitoringCallback",
                             sizeof(MonitoringCallback), 0,
                             Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL |
                                 Py_TPFLAGS_DISALLOW_INSTANTIATION,
                             kCallbackSlots};

// The source, or NULL when the callback is left over from a deactivated one
// or was called by hand with other arguments than sys.monitoring passes
// (`register_callback` hands the previous callback to Python code).
__attribute__((always_inline)) inline MonitoringSource* source_of(
    PyObject* self, PyObject* const* args, size_t nargsf, PyObject* kwnames,
    Py_ssize_t nargs) {
  MonitoringSource* source =
      reinterpret_cast<MonitoringCallback*>(self)->source;
  if (__builtin_expect(PyVectorcall_NARGS(nargsf) != nargs ||
                           kwnames != nullptr || !PyCode_Check(args[0]),
                       0)) {
    return nullptr;
  }
  return source;
}

// The callbacks' bodies, one instance per sys.monitoring event. Their
// arguments: code, instruction offset, then the event's own (below).
// PY_THROW's: the exception.
template <int32_t kEvent, bool kThrown>
PyObject* enter_callback(PyObject* self, PyObject* const* args, size_t nargsf,
                         PyObject* kwnames) {
  MonitoringSource* source =
      source_of(self, args, nargsf, kwnames, kThrown ? 3 : 2);
  return source != nullptr ? source->on_enter(args[0], kEvent, kThrown)
                           : Py_NewRef(Py_None);
}

// The value returned or yielded (or the exception, for PY_UNWIND).
template <int32_t kEvent, bool kMayDisable>
PyObject* exit_callback(PyObject* self, PyObject* const* args, size_t nargsf,
                        PyObject* kwnames) {
  MonitoringSource* source = source_of(self, args, nargsf, kwnames, 3);
  return source != nullptr
             ? source->on_exit(args[0], kEvent, kMayDisable, args[2])
             : Py_NewRef(Py_None);
}

// The callable and its first argument (or MISSING).
PyObject* c_call_callback(PyObject* self, PyObject* const* args, size_t nargsf,
                          PyObject* kwnames) {
  MonitoringSource* source = source_of(self, args, nargsf, kwnames, 4);
  return source != nullptr ? source->on_c_call(args[0], args[2], args[3])
                           : Py_NewRef(Py_None);
}

template <int32_t kEvent>
PyObject* c_exit_callback(PyObject* self, PyObject* const* args, size_t nargsf,
                          PyObject* kwnames) {
  MonitoringSource* source = source_of(self, args, nargsf, kwnames, 4);
  return source != nullptr
             ? source->on_c_exit(args[0], kEvent, args[2], args[3])
             : Py_NewRef(Py_None);
}

struct Callback {
  int event;
  vectorcallfunc function;
};

constexpr Callback kCallbacks[] = {
    {kPyStart, enter_callback<PYHOOKS_EVENT_START, false>},
    {kPyResume, enter_callback<PYHOOKS_EVENT_RESUME, false>},
    {kPyThrow, enter_callback<PYHOOKS_EVENT_RESUME, true>},
    {kPyReturn, exit_callback<PYHOOKS_EVENT_RETURN, true>},
    {kPyYield, exit_callback<PYHOOKS_EVENT_YIELD, true>},
    {kPyUnwind, exit_callback<PYHOOKS_EVENT_UNWIND, false>},
    {kCall, c_call_callback},
    {kCReturn, c_exit_callback<PYHOOKS_EVENT_C_RETURN>},
    {kCRaise, c_exit_callback<PYHOOKS_EVENT_C_RAISE>},
};

int monitoring_events_for(uint32_t wanted, bool* track_exits) {
  constexpr uint32_t kExits = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_RETURN) |
                              PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_YIELD) |
                              PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_UNWIND);
  *track_exits = (wanted & kExits) != 0;
  if (*track_exits) {
    // Pairing exits with enters needs every enter and every exit.
    return kPyStart | kPyResume | kPyThrow | kPyReturn | kPyYield | kPyUnwind;
  }
  int events = 0;
  if (wanted & PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START)) events |= kPyStart;
  if (wanted & PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_RESUME)) {
    events |= kPyResume | kPyThrow;
  }
  return events;
}

}  // namespace

bool MonitoringSource::claim_tool_id() {
  PyObject* sys_monitoring = PySys_GetObject("monitoring");  // borrowed
  if (sys_monitoring == nullptr) {
    PyErr_SetString(PyExc_RuntimeError,
                    "pyhooks: sys.monitoring is not available");
    return false;
  }
  monitoring_ = Ref<>::create(sys_monitoring);
  disable_ = Ref<>::steal(PyObject_GetAttrString(sys_monitoring, "DISABLE"));
  missing_ = Ref<>::steal(PyObject_GetAttrString(sys_monitoring, "MISSING"));
  if (!disable_ || !missing_) {
    return false;
  }
  for (int id : kToolIdPreference) {
    Ref<> taken = Ref<>::steal(PyObject_CallMethod(
        sys_monitoring, "use_tool_id", "is", id, "pyhooks"));
    if (taken) {
      tool_id_ = id;
      return true;
    }
    PyErr_Clear();  // in use by another tool: try the next one
  }
  PyErr_SetString(PyExc_RuntimeError,
                  "pyhooks: sys.monitoring tool ids 3, 4 and 5 are all in "
                  "use; set event_source = \"eval_frame\" to observe frames "
                  "through the eval-frame hook instead");
  return false;
}

bool MonitoringSource::register_callbacks() {
  Ref<> type = Ref<>::steal(PyType_FromSpec(&kCallbackSpec));
  if (!type) {
    return false;
  }
  for (const Callback& callback : kCallbacks) {
    auto* object = PyObject_New(MonitoringCallback,
                                reinterpret_cast<PyTypeObject*>(type.get()));
    if (object == nullptr) {
      return false;
    }
    object->vectorcall = callback.function;
    object->source = this;
    callbacks_.push_back(Ref<>::steal(reinterpret_cast<PyObject*>(object)));
    Ref<> previous = Ref<>::steal(
        PyObject_CallMethod(monitoring_.get(), "register_callback", "iiO",
                            tool_id_, callback.event, callbacks_.back().get()));
    if (!previous) {
      return false;
    }
  }
  return true;
}

bool MonitoringSource::activate(const Chain& chain, bool rearm, bool frames) {
  bool was_active = tool_id_ >= 0;  // possibly draining: keep its records
  if (!was_active) {
    if (!claim_tool_id() || !register_callbacks()) {
      deactivate();
      return false;
    }
    shadows_.clear();
    open_frames_ = 0;
    frames_on_ = draining_ = false;
  }
  if (frames) {
    frame_events_ = monitoring_events_for(chain.observer_events, &track_exits_);
    frames_on_ = true;
    draining_ = false;
  } else {
    // The hook takes the frame events over; frames entered here still get
    // their exits from here.
    draining_ = (frames_on_ || draining_) && track_exits_ && open_frames_ > 0;
    frames_on_ = false;
  }
  c_calls_ = (chain.observer_events & kCCallEventBits) != 0;
  if (!apply_events()) {
    deactivate();
    return false;
  }
  if (was_active && rearm) {
    // New observers must see code that earlier ones DISABLEd. This re-arms
    // every tool's DISABLEd locations; tools must tolerate that (PEP 669).
    Ref<> done = Ref<>::steal(
        PyObject_CallMethod(monitoring_.get(), "restart_events", nullptr));
    if (!done) {
      return false;
    }
  }
  return true;
}

int MonitoringSource::subscribed_events() const {
  int events = frames_on_ ? frame_events_ : draining_ ? kFrameExits : 0;
  if (c_calls_) events |= kCall | kCReturn | kCRaise;
  return events;
}

bool MonitoringSource::apply_events() {
  int events = subscribed_events();
  if (events == 0) {
    deactivate();
    return true;
  }
  Ref<> done = Ref<>::steal(PyObject_CallMethod(monitoring_.get(), "set_events",
                                                "ii", tool_id_, events));
  return static_cast<bool>(done);
}

void MonitoringSource::finish_draining() {
  draining_ = false;
  if (c_calls_ && apply_events()) {
    return;  // C-call events go on
  }
  PyErr_Clear();
  deactivate();  // safe inside our own callback: CPython holds no pointer
}

void MonitoringSource::deactivate(bool drain) {
  if (drain && track_exits_ && open_frames_ > 0 && tool_id_ >= 0 &&
      (frames_on_ || draining_)) {
    frames_on_ = false;
    draining_ = true;
    c_calls_ = false;
    if (apply_events()) {
      return;
    }
    PyErr_Clear();  // could not narrow: fall through to a full stop
  }
  frames_on_ = draining_ = c_calls_ = false;
  open_frames_ = 0;
  if (tool_id_ >= 0 && monitoring_) {
    ErrorStash stash;  // failures here change nothing: the tool is gone
    Ref<> done = Ref<>::steal(PyObject_CallMethod(
        monitoring_.get(), "set_events", "ii", tool_id_, 0));
    done = Ref<>::steal(
        PyObject_CallMethod(monitoring_.get(), "free_tool_id", "i", tool_id_));
  }
  tool_id_ = -1;
  for (Ref<>& callback : callbacks_) {
    // Still registered: does nothing from now on.
    reinterpret_cast<MonitoringCallback*>(callback.get())->source = nullptr;
  }
  callbacks_.clear();
}

__attribute__((always_inline)) inline FrameView MonitoringSource::make_view(
    PyObject* code, PyThreadState* tstate, const Chain* chain,
    CodeState* code_state) {
  // Every field set once, none zero-filled first.
  FrameView view;
  view.init_public(code, phc_tstate_thread_id(tstate),
                   phc_code_is_generator(code) ? PYHOOKS_FRAME_GENERATOR : 0);
  view.tstate = tstate;
  view.frame = nullptr;
  view.dispatch = &dispatch_;
  view.chain = chain;
  view.code_state = code_state;
  view.throwflag = 0;
  view.c_self = nullptr;
  view.next_link = 0;
  view.started = true;
  view.consumed = true;  // running already: no evaluator may touch it
  view.entering = false;
  view.starting = false;
  view.in_hook = false;
  return view;
}

__attribute__((always_inline)) inline void MonitoringSource::open_activation(
    ThreadShadow& shadow, FrameView& view, ObserverMask owed) {
  if (!track_exits_ || owed == 0) {
    return;  // nobody is owed an exit: nothing to pair
  }
  shadow.open.push_back({view.frame, view.chain, owed, view.code_state});
  ++open_frames_;
  if (view.code_state != nullptr) ++view.code_state->monitoring_open;
}

PyObject* MonitoringSource::on_enter(PyObject* code, int32_t event,
                                     bool thrown) {
  ++events_;
  PyThreadState* tstate = phc_current_tstate();
  const Chain* chain = dispatch_.chain;
  FrameView view =
      make_view(code, tstate, chain, dispatch_.code_states->get(code));
  view.frame = phc_tstate_current_frame(tstate);
  if (thrown) view.pub.flags |= PYHOOKS_FRAME_THROW;

  // A frame the hook announced: its START was delivered already.
  ThreadShadow& shadow = shadows_.of(tstate);
  if (event == PYHOOKS_EVENT_START && !shadow.announced.empty() &&
      shadow.announced.back().frame == view.frame) {
    ShadowFrame announced = shadow.announced.back();
    shadow.announced.pop_back();
    view.chain = announced.chain;
    open_activation(shadow, view, announced.owed);
    return Py_NewRef(Py_None);
  }
  // A callback may rebuild the chain: counted as in use until the record
  // that names it is pushed (ChainUse without the unwinding cleanup: the
  // callbacks are C functions).
  ++chain->uses;
  EnterDelivery delivery = deliver_enter_monitored(view, event);
  // Looked up again: a callback may have restarted the source (a plugin
  // loaded from inside it), which forgets every thread's records.
  open_activation(shadows_.of(tstate), view, delivery.owed);
  --chain->uses;
  if (delivery.all_disabled && !thrown) {  // THROW is not a local event
    return Py_NewRef(disable_.get());
  }
  return Py_NewRef(Py_None);
}

PyObject* MonitoringSource::on_exit(PyObject* code, int32_t event,
                                    bool may_disable, PyObject* value) {
  ++events_;
  PyThreadState* tstate = phc_current_tstate();
  phc_frame* frame = phc_tstate_current_frame(tstate);
  ShadowStack& open = shadows_.of(tstate).open;
  // Find this activation: normally on top. Entries above it would be frames
  // whose exit never came; none are expected (see can_disable_exit), but a
  // stale entry must not make every later exit of the thread miss.
  size_t depth = open.size();
  if (depth > 0 && open.back().frame == frame) {
    // The common case: one entry, on top.
    ShadowFrame closing = open.back();
    open.pop_back();
    --open_frames_;
    if (closing.code_state != nullptr) --closing.code_state->monitoring_open;
    FrameView view = make_view(code, tstate, closing.chain, closing.code_state);
    view.pub.value = value;
    ++closing.chain->uses;  // no record names it now; callbacks may rebuild
    deliver_exit_monitored(view, event,
                           closing.owed);  // frame stays NULL: leaving
    --closing.chain->uses;
    if (draining_ && open_frames_ <= 0) finish_draining();
    return Py_NewRef(Py_None);
  }
  while (depth > 0 && open[depth - 1].frame != frame) {
    --depth;
  }
  if (depth == 0) {
    // Entered before activation, or nobody is owed its exit.
    return Py_NewRef(may_disable && can_disable_exit(code) ? disable_.get()
                                                           : Py_None);
  }
  (void)PYHOOKS_CHECK(open.size() == depth, "stale shadow-stack entries");
  while (open.size() >= depth) {
    ShadowFrame closing = open.back();
    open.pop_back();
    --open_frames_;
    if (closing.code_state != nullptr) --closing.code_state->monitoring_open;
    if (open.size() + 1 == depth) {
      FrameView view =
          make_view(code, tstate, closing.chain, closing.code_state);
      view.pub.value = value;
      ++closing.chain->uses;
      deliver_exit(view, event, closing.owed);  // frame stays NULL: leaving
      --closing.chain->uses;
    }
  }
  if (draining_ && open_frames_ <= 0) finish_draining();
  return Py_NewRef(Py_None);
}

// Inline in its callback, and no more than the check: CALL fires for every
// call, most of them of Python functions.
__attribute__((always_inline)) inline PyObject* MonitoringSource::on_c_call(
    PyObject* code, PyObject* callable, PyObject* self_arg) {
  ++events_;
  if (self_arg == missing_.get()) self_arg = nullptr;
  CodeState* code_state = dispatch_.code_states->get(code);
  if (CFunctionNames::is_c_function(callable, self_arg)) {
    return deliver_c_call(code, callable, self_arg, code_state);
  }
  // A Python function, a class, ...: no event. In code every observer
  // disabled (filtered out) the call site is never needed again: without
  // this, excluded code would pay a callback for each of its calls.
  return Py_NewRef(unobserved(code_state) ? disable_.get() : Py_None);
}

PyObject* MonitoringSource::deliver_c_call(PyObject* code, PyObject* callable,
                                           PyObject* self_arg,
                                           CodeState* code_state) {
  PyThreadState* tstate = phc_current_tstate();
  FrameView view = make_view(code, tstate, dispatch_.chain, code_state);
  view.frame = phc_tstate_current_frame(tstate);  // the calling frame
  view.pub.callable = callable;
  view.c_self = self_arg;
  EnterDelivery delivery = deliver_enter_monitored(view, PYHOOKS_EVENT_C_CALL);
  if (delivery.owed != 0) {
    // Looked up again: a callback may have restarted the source.
    shadows_.of(tstate).c_calls.push_back(
        {view.frame, callable, view.chain, delivery.owed, view.code_state});
  }
  // Every observer disabled the calling code: sys.monitoring's DISABLE
  // removes this call site's CALL, C_RETURN and C_RAISE.
  return Py_NewRef(delivery.all_disabled ? disable_.get() : Py_None);
}

PyObject* MonitoringSource::on_c_exit(PyObject* code, int32_t event,
                                      PyObject* callable, PyObject* self_arg) {
  ++events_;
  if (self_arg == missing_.get()) self_arg = nullptr;
  if (!CFunctionNames::is_c_function(callable, self_arg)) {
    return Py_NewRef(Py_None);
  }
  PyThreadState* tstate = phc_current_tstate();
  phc_frame* frame = phc_tstate_current_frame(tstate);
  std::vector<CCallRecord>& calls = shadows_.of(tstate).c_calls;
  // Normally on top; a record above it is a call whose exit never came (the
  // call failed in another tool's CALL callback) and is dropped.
  size_t depth = calls.size();
  while (depth > 0 && (calls[depth - 1].frame != frame ||
                       calls[depth - 1].callable != callable)) {
    --depth;
  }
  if (depth == 0) {
    return Py_NewRef(Py_None);  // nobody is owed it (C_CALL before activation)
  }
  CCallRecord closing = calls[depth - 1];
  calls.resize(depth - 1);
  FrameView view = make_view(code, tstate, closing.chain, closing.code_state);
  view.pub.callable = callable;
  view.c_self = self_arg;
  deliver_exit_monitored(view, event,
                         closing.owed);  // frame stays NULL: an exit
  return Py_NewRef(Py_None);  // C_RETURN and C_RAISE cannot be disabled
}

__attribute__((always_inline)) inline bool MonitoringSource::unobserved(
    CodeState* code_state) {
  if (code_state == nullptr) {
    return false;
  }
  FrameView probe;  // only what all_observers_disabled reads, no zero-fill
  probe.dispatch = &dispatch_;
  probe.chain = dispatch_.chain;
  probe.code_state = code_state;
  return all_observers_disabled(probe);
}

bool MonitoringSource::can_disable_exit(PyObject* code) {
  // sys.monitoring's DISABLE is per code location and shared by all threads:
  // an exit location may be disabled only while no activation of the code,
  // in any thread, is still owed its exit.
  CodeState* code_state = dispatch_.code_states->get(code);
  return code_state != nullptr && code_state->monitoring_open == 0 &&
         unobserved(code_state);
}

void MonitoringSource::announce_start(FrameView& view) {
  ObserverMask owed = deliver_enter(view, PYHOOKS_EVENT_START).owed;
  shadows_.of(view.tstate)
      .announced.push_back({view.frame, view.chain, owed, view.code_state});
}

void MonitoringSource::finish_announced(FrameView& view, PyObject* result) {
  std::vector<ShadowFrame>& announced = shadows_.of(view.tstate).announced;
  if (announced.empty() || announced.back().frame != view.frame) {
    return;  // it ran: sys.monitoring took it over at its PY_START
  }
  ShadowFrame never_ran = announced.back();
  announced.pop_back();
  if (never_ran.owed != 0) {
    view.frame = nullptr;
    view.pub.flags &= ~PYHOOKS_FRAME_THROW;
    view.pub.value = result != nullptr ? result : phc_error_value(view.tstate);
    deliver_exit(
        view, result == nullptr ? PYHOOKS_EVENT_UNWIND : PYHOOKS_EVENT_RETURN,
        never_ran.owed);
  }
}

void MonitoringSource::after_fork_child() {
  PyThreadState* tstate = phc_current_tstate();
  shadows_.keep_only(tstate);
  open_frames_ = static_cast<int64_t>(shadows_.of(tstate).open.size());
}

}  // namespace pyhooks
