// host/runtime/eval_frame_source.cc - one frame through the hook.
//
//   hook()                      the function in interp->eval_frame
//    `- dispatch()              observers' enter events, in chain order
//        |- run_evaluators()    evaluator links; each may HANDLE, DECLINE,
//        |   `- terminator      or wrap the rest through eval_next; the
//        |                      terminator is the evaluator found in the slot
//        |                      at install (a foreign tool) or CPython's own
//        `- observers' exit events, in reverse order
#include "eval_frame_source.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstring>
#include <mutex>

#include "chain.h"
#include "checks.h"
#include "code_states.h"
#include "dispatch_context.h"
#include "interpreter_registry.h"
#include "monitoring_source.h"
#include "observer_dispatch.h"
#include "plugin_instance.h"
#include "report.h"
#include "stack_guard.h"

namespace pyhooks {

namespace {

std::string describe_function(const void* function) {
  char address[32];
  std::snprintf(address, sizeof(address), "%p", function);
  Dl_info info{};
  if (dladdr(function, &info) != 0 && info.dli_fname != nullptr) {
    std::string where = std::string(address) + " (in " + info.dli_fname;
    if (info.dli_sname != nullptr) {
      where += std::string(", ") + info.dli_sname;
    }
    return where + ")";
  }
  return address;
}

bool is_generator_entry(phc_entry entry) {
  return entry == PHC_ENTRY_GEN_START || entry == PHC_ENTRY_GEN_RESUME;
}

// Tools take the eval-frame slot when their module is imported or
// initialized, and nothing tells us: every "import" audit event is a safe
// point to look (the previous import's damage shows at the next one).
int check_slot_on_import(const char* event, PyObject*, void*) {
  if (std::strcmp(event, "import") == 0) {
    if (DispatchContext* dispatch = InterpreterRegistry::find(
            phc_tstate_interp(phc_current_tstate()))) {
      dispatch->eval_source->check_displaced();
    }
  }
  return 0;
}

// Audit hooks are process-wide and cannot be removed: added once, the first
// time any interpreter installs the hook (observer-only runs on 3.12+ never
// pay for it).
void watch_imports() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (PySys_AddAuditHook(check_slot_on_import, nullptr) < 0) {
      PyErr_Clear();  // another audit hook refused: API calls still check
    }
  });
}

}  // namespace

PyObject* EvalFrameSource::hook(PyThreadState* tstate, phc_frame* frame,
                                int throwflag) {
  DispatchContext* dispatch =
      InterpreterRegistry::find(phc_tstate_interp(tstate));
  if (dispatch == nullptr) {
    return phc_default_eval_frame()(tstate, frame, throwflag);
  }
  // Only tail calls from here, so that this function needs no stack frame
  // of its own: the frame's work happens one call level down.
  EvalFrameSource& source = *dispatch->eval_source;
  const Chain* chain = dispatch->chain;
  // Chains with an interpreter trampoline (native_names) get their own
  // copy of each path, so the others never test for one.
  bool trampolines = chain->trampoline_link != nullptr;
  if (chain->evaluators_only) {
    // The common shape of a JIT or native_names run.
    return trampolines
               ? source.evaluate_only<true>(tstate, frame, throwflag, chain)
               : source.evaluate_only<false>(tstate, frame, throwflag, chain);
  }
  return trampolines ? source.dispatch<true>(tstate, frame, throwflag)
                     : source.dispatch<false>(tstate, frame, throwflag);
}

void EvalFrameSource::install() {
  if (installed_) {
    return;
  }
  PyInterpreterState* interp = dispatch_.interp;
  phc_eval_fn current = phc_get_eval_frame(interp);
  if (current == hook ||
      (displaced_by_ != nullptr && current == displaced_by_)) {
    // Already ours, or behind the tool that displaced us (which calls us).
    installed_ = true;
    return;
  }
  terminator_ = current;
  if (current != phc_default_eval_frame()) {
    report_info(
        "chaining to the eval-frame function that was installed "
        "before pyhooks: " +
        describe_function(reinterpret_cast<const void*>(current)));
  }
  phc_set_eval_frame(interp, hook);
  installed_ = true;
  watch_imports();
}

void EvalFrameSource::uninstall() {
  if (!installed_) {
    return;
  }
  check_displaced();
  PyInterpreterState* interp = dispatch_.interp;
  if (phc_get_eval_frame(interp) == hook) {
    phc_set_eval_frame(interp, terminator_);
  }
  installed_ = false;
}

void EvalFrameSource::check_displaced() {
  phc_eval_fn current = phc_get_eval_frame(dispatch_.interp);
  if (!installed_) {
    if (current == hook && terminator_ != nullptr) {
      // A tool that displaced us has handed the slot back on leaving; we no
      // longer need it, so restore what was there before us.
      phc_set_eval_frame(dispatch_.interp, terminator_);
      displaced_by_ = nullptr;
    }
    return;
  }
  if (current == hook || current == displaced_by_) {
    return;
  }
  displaced_by_ = current;
  report_warning(
      "another tool replaced pyhooks's eval-frame function with " +
      describe_function(reinterpret_cast<const void*>(current)) +
      "; pyhooks plugins miss every frame unless that tool calls the "
      "function it replaced");
}

std::string EvalFrameSource::terminator_description() const {
  if (terminator_ == nullptr || terminator_ == phc_default_eval_frame()) {
    return "CPython's _PyEval_EvalFrameDefault";
  }
  return describe_function(reinterpret_cast<const void*>(terminator_));
}

inline PyObject* EvalFrameSource::call_terminator(
    PyThreadState* tstate, phc_frame* frame, int throwflag,
    pyhooks_trampoline_fn trampoline) {
  phc_recursion recursion;
  phc_recursion_enter(tstate, frame, throwflag, c_stack_exhausted(),
                      &call_memo_, &recursion);
  phc_eval_fn next = terminator_ ? terminator_ : phc_default_eval_frame();
  PyObject* result =
      trampoline == nullptr
          ? next(tstate, frame, throwflag)
          : trampoline(tstate, frame, throwflag,
                       reinterpret_cast<pyhooks_interpreter_fn>(next));
  phc_recursion_leave(tstate, &recursion);
  return result;
}

inline pyhooks_trampoline_fn EvalFrameSource::trampoline_for(
    const Chain* chain, CodeState* code_state) {
  const EvaluatorLink* link = chain->trampoline_link;
  if (__builtin_expect(link == nullptr || code_state == nullptr, 1)) {
    return nullptr;
  }
  void* trampoline = dispatch_.code_states->first_pointer(
      code_state, link->index, link->frame_data_entry);
  return trampoline != nullptr && link->plugin->active()
             ? reinterpret_cast<pyhooks_trampoline_fn>(trampoline)
             : nullptr;
}

pyhooks_trampoline_fn EvalFrameSource::trampoline_of_generator(
    const Chain* chain, phc_frame* frame, int throwflag) {
  if (phc_frame_entry(frame, throwflag) == PHC_ENTRY_GEN_CREATE) {
    return nullptr;  // runs none of the body (as in dispatch)
  }
  return trampoline_for(chain,
                        dispatch_.code_states->get(phc_frame_code(frame)));
}

namespace {

// Evaluator links [0, 64) that have not disabled `state`'s code: worked out
// once per (code object, chain generation), like the observers' mask.
__attribute__((noinline)) uint64_t compute_evaluating_links(
    CodeStates& states, CodeState* state, const Chain& chain) {
  uint64_t mask = 0;
  size_t count =
      chain.evaluator_links.size() < 64 ? chain.evaluator_links.size() : 64;
  for (size_t i = 0; i < count; ++i) {
    SlotEntry* entry = states.entry(state, chain.evaluator_links[i].index);
    if (entry == nullptr || !(entry->flags & SlotEntry::kEvaluatorDisabled)) {
      mask |= uint64_t{1} << i;
    }
  }
  state->evaluating = mask;
  state->evaluate_generation = chain.generation;
  return mask;
}

// The same, answered from the cache.
inline uint64_t evaluating_links(CodeStates& states, CodeState* state,
                                 const Chain& chain) {
  if (__builtin_expect(state->evaluate_generation == chain.generation, 1)) {
    return state->evaluating;
  }
  return compute_evaluating_links(states, state, chain);
}

}  // namespace

// Every field set once, none zero-filled first.
inline void EvalFrameSource::fill_view(FrameView& view, PyThreadState* tstate,
                                       phc_frame* frame, int throwflag,
                                       phc_entry entry, const Chain* chain,
                                       CodeState* code_state) {
  view.init_public(phc_frame_code(frame), phc_tstate_thread_id(tstate),
                   (is_generator_entry(entry) ? PYHOOKS_FRAME_GENERATOR : 0) |
                       (throwflag ? PYHOOKS_FRAME_THROW : 0));
  view.tstate = tstate;
  view.frame = frame;
  view.dispatch = &dispatch_;
  view.chain = chain;
  view.code_state = code_state;
  view.throwflag = throwflag;
  view.c_self = nullptr;
  view.next_link = 0;
  view.started = entry == PHC_ENTRY_GEN_RESUME;
  view.consumed = false;
  view.entering = false;
  view.starting = false;
  view.in_hook = true;
}

// Runs one evaluator with its own per-code bytes in the frame (ABI 1.2),
// put back afterwards: an outer evaluator's eval_next runs the links after it
// inside its own evaluate, and its frame must still show its bytes.
inline pyhooks_status EvalFrameSource::call_evaluator(const EvaluatorLink& link,
                                                      FrameView& view,
                                                      PyObject** result) {
  void* outer = view.pub.code_data;
  view.pub.code_data =
      link.frame_data_entry == 0
          ? nullptr
          : dispatch_.code_states->frame_data(view.code_state, link.index,
                                              link.frame_data_entry);
  pyhooks_status status = link.evaluate(link.handle, &view.pub, result);
  view.pub.code_data = outer;
  return status;
}

template <bool kTrampolines>
PyObject* EvalFrameSource::evaluate_only(PyThreadState* tstate,
                                         phc_frame* frame, int throwflag,
                                         const Chain* chain) {
  if (phc_tstate_tracing(tstate)) {
    return call_terminator(tstate, frame, throwflag, nullptr);
  }
  ++frames_;
  if (phc_frame_entry(frame, throwflag) != PHC_ENTRY_CALL) {
    // Evaluators are offered calls only, and no observer wants the rest;
    // a generator's body still enters through its code's trampoline.
    return call_terminator(
        tstate, frame, throwflag,
        kTrampolines ? trampoline_of_generator(chain, frame, throwflag)
                     : nullptr);
  }
  CodeState* code_state = dispatch_.code_states->get(phc_frame_code(frame));
  const auto& links = chain->evaluator_links;
  uint64_t evaluating =
      code_state != nullptr
          ? evaluating_links(*dispatch_.code_states, code_state, *chain)
          : ~uint64_t{0};
  if (evaluating == 0 && links.size() <= 64) {
    // Every evaluator disabled this code: it costs what the bare hook does
    // (and a trampoline, where one named it).
    return call_terminator(
        tstate, frame, throwflag,
        kTrampolines ? trampoline_for(chain, code_state) : nullptr);
  }
  ChainUse use(chain);  // callbacks may rebuild the chain; this frame keeps it
  FrameView view;
  fill_view(view, tstate, frame, throwflag, PHC_ENTRY_CALL, chain, code_state);
  if (links.size() != 1) {
    return run_links(view, 0, evaluating);
  }
  // A lone evaluator (bit 0 of `evaluating` is set): run_links' loop body
  // for one link, without the loop.
  const EvaluatorLink& link = links[0];
  PluginInstance* plugin = link.plugin;
  if (plugin->active()) {
    view.next_link = 1;
    view.entering = true;
    view.starting = true;
    PyObject* result = nullptr;
    ++plugin->counters().offered;
    pyhooks_status status = call_evaluator(link, view, &result);
    bool raised = phc_error_pending(tstate) != 0;
    if (__builtin_expect(status != PYHOOKS_DECLINED || result != nullptr ||
                             raised || view.consumed,
                         0)) {
      if (status == PYHOOKS_HANDLED && result != nullptr && !raised &&
          view.consumed) {
        ++plugin->counters().handled;  // a wrapper's answer
        return result;
      }
      Settled settled = settle(view, link, status, result, raised);
      if (settled.finished) {
        return settled.result;
      }
    }
  }
  PYHOOKS_DCHECK(!view.consumed);  // run once, by the terminator only
  view.consumed = true;
  return call_terminator(
      tstate, frame, throwflag,
      kTrampolines ? trampoline_for(chain, code_state) : nullptr);
}

template <bool kTrampolines>
PyObject* EvalFrameSource::dispatch(PyThreadState* tstate, phc_frame* frame,
                                    int throwflag) {
  const Chain* chain = dispatch_.chain;
  if (chain->empty() || phc_tstate_tracing(tstate)) {
    return call_terminator(tstate, frame, throwflag, nullptr);
  }
  ++frames_;
  phc_entry entry = phc_frame_entry(frame, throwflag);
  if (entry == PHC_ENTRY_GEN_CREATE) {
    // Only builds the generator object: no body runs, no event (as
    // sys.monitoring: PY_START comes at the first resume).
    return call_terminator(tstate, frame, throwflag, nullptr);
  }
  PyObject* code = phc_frame_code(frame);
  CodeState* code_state = dispatch_.code_states->get(code);
  bool offered = entry == PHC_ENTRY_CALL && !chain->evaluators.empty();
  bool observed = !chain->observers.empty() &&
                  (code_state == nullptr ||
                   code_state->quiet_generation != chain->generation);
  if (!offered && !(observed && dispatch_.observers_via_hook)) {
    // Nothing to do for this frame: no evaluator is offered it, and no
    // observer wants it from the hook (they use sys.monitoring, or every one
    // disabled this code). The fast path.
    return call_terminator(
        tstate, frame, throwflag,
        kTrampolines ? trampoline_for(chain, code_state) : nullptr);
  }
  // `hook` sends chains without observers to evaluate_only (an empty chain
  // ended above), so from here on there is an observer.
  PYHOOKS_DCHECK(!chain->observers.empty());
  ChainUse use(chain);  // callbacks may rebuild the chain; this frame keeps it
  FrameView view;
  fill_view(view, tstate, frame, throwflag, entry, chain, code_state);

  if (!dispatch_.observers_via_hook) {
    // 3.12+: observers get their events from sys.monitoring; the hook only
    // announces the frames it offers to evaluators (see monitoring_source.h).
    MonitoringSource& monitoring = *dispatch_.monitoring_source;
    if (!chain->observers.empty()) monitoring.announce_start(view);
    PyObject* result = run_evaluators(view, 0);
    if (!chain->observers.empty()) monitoring.finish_announced(view, result);
    return result;
  }

  ObserverMask owed = 0;
  if (observed) {
    EnterDelivery delivery = deliver_enter(view, entry == PHC_ENTRY_GEN_RESUME
                                                     ? PYHOOKS_EVENT_RESUME
                                                     : PYHOOKS_EVENT_START);
    owed = delivery.owed;
    if (delivery.all_disabled && code_state != nullptr) {
      code_state->quiet_generation = chain->generation;  // fast path next time
    }
    if (owed != 0) {
      // The frame may release the last reference to its code (a function
      // whose __code__ was replaced while it ran) before the exit events,
      // which still name it. Inline, and only when an exit is owed.
      Py_INCREF(code);
    }
  }

  PyObject* result =
      offered ? run_evaluators(view, 0)
              : call_terminator(
                    tstate, frame, throwflag,
                    kTrampolines ? trampoline_for(chain, code_state) : nullptr);

  if (owed != 0) {
    pyhooks_event exit = PYHOOKS_EVENT_RETURN;
    if (result == nullptr) {
      exit = PYHOOKS_EVENT_UNWIND;
    } else if (is_generator_entry(entry) &&
               phc_generator_frame_suspended(frame)) {
      exit = PYHOOKS_EVENT_YIELD;
    }
    view.frame = nullptr;
    view.pub.flags &= ~PYHOOKS_FRAME_THROW;  // how it was entered, not left
    view.pub.value = result != nullptr ? result : phc_error_value(tstate);
    deliver_exit(view, exit, owed);
    Py_DECREF(code);
  }
  return result;
}

PyObject* EvalFrameSource::run_evaluators(FrameView& view, uint32_t first) {
  uint64_t evaluating = view.code_state != nullptr
                            ? evaluating_links(*dispatch_.code_states,
                                               view.code_state, *view.chain)
                            : ~uint64_t{0};
  return run_links(view, first, evaluating);
}

PyObject* EvalFrameSource::run_links(FrameView& view, uint32_t first,
                                     uint64_t evaluating) {
  const auto& links = view.chain->evaluator_links;
  CodeStates& states = *dispatch_.code_states;
  for (uint32_t i = first; i < links.size(); ++i) {
    const EvaluatorLink& link = links[i];
    PluginInstance* plugin = link.plugin;
    if (!plugin->active()) {
      continue;
    }
    bool disabled;
    if (i < 64) {
      disabled = !(evaluating & (uint64_t{1} << i));
    } else {
      SlotEntry* entry =
          view.code_state ? states.entry(view.code_state, link.index) : nullptr;
      disabled =
          entry != nullptr && (entry->flags & SlotEntry::kEvaluatorDisabled);
    }
    if (disabled) {
      continue;
    }
    view.next_link = i + 1;
    view.entering = true;
    view.starting = true;
    PyObject* result = nullptr;
    ++plugin->counters().offered;
    pyhooks_status status = call_evaluator(link, view, &result);
    bool raised = phc_error_pending(view.tstate) != 0;
    if (__builtin_expect(status == PYHOOKS_DECLINED && result == nullptr &&
                             !raised && !view.consumed,
                         1)) {
      continue;  // the common answer, settled inline
    }
    if (status == PYHOOKS_HANDLED && result != nullptr && !raised &&
        view.consumed) {
      // A wrapper's answer (it ran the rest through eval_next, as
      // native_names does on every call): settled inline too.
      ++plugin->counters().handled;
      return result;
    }
    Settled settled = settle(view, link, status, result, raised);
    if (settled.finished) {
      return settled.result;
    }
  }
  PYHOOKS_DCHECK(!view.consumed);  // run once, by the terminator only
  view.consumed = true;
  return call_terminator(view.tstate, view.frame, view.throwflag,
                         trampoline_for(view.chain, view.code_state));
}

PyObject* EvalFrameSource::eval_next(FrameView& view) {
  if (view.next_link >= view.chain->evaluator_links.size()) {
    // The last link wrapping the rest: straight to the terminator, without
    // the loop's set-up (the common case of a lone wrapping evaluator).
    view.consumed = true;
    return call_terminator(view.tstate, view.frame, view.throwflag,
                           trampoline_for(view.chain, view.code_state));
  }
  return run_evaluators(view, view.next_link);
}

// Every answer but a clean DECLINED or a wrapper's HANDLED (kept out of
// run_evaluators' loop, which then stays small).
EvalFrameSource::Settled EvalFrameSource::settle(FrameView& view,
                                                 const EvaluatorLink& link,
                                                 pyhooks_status status,
                                                 PyObject* result,
                                                 bool raised) {
  PluginInstance* plugin = link.plugin;
  if (status == PYHOOKS_HANDLED && result != nullptr && !raised) {
    ++plugin->counters().handled;
    if (!view.consumed) {
      phc_finish_unevaluated_frame(view.tstate, view.frame);
      view.consumed = true;
    }
    return {true, result};
  }
  if (status == PYHOOKS_ERROR && raised) {
    // A legitimate Python exception: the frame's outcome.
    if (!view.consumed) {
      phc_finish_unevaluated_frame(view.tstate, view.frame);
      view.consumed = true;
    }
    return {true, nullptr};
  }
  if ((status == PYHOOKS_DECLINED || status == PYHOOKS_DISABLE) &&
      !view.consumed && result == nullptr && !raised) {
    if (status == PYHOOKS_DISABLE && view.code_state != nullptr) {
      CodeStates& states = *dispatch_.code_states;
      if (SlotEntry* entry = states.entry(view.code_state, link.index)) {
        entry->flags |= SlotEntry::kEvaluatorDisabled;
      }
      view.code_state->evaluate_generation = 0;  // recompute the mask
    }
    return {false, nullptr};
  }
  // Misbehaviour: HANDLED without a result, ERROR without an exception,
  // an exception left set with any other answer, an unknown status, or
  // declining a frame it had already run.
  Py_XDECREF(result);
  dispatch_.evaluator_misbehaved(*plugin, status, raised, view);
  if (view.consumed) {
    if (!phc_error_pending(view.tstate)) {
      PyErr_Format(PyExc_SystemError,
                   "pyhooks: evaluator '%s' lost the result of a frame it "
                   "had already run",
                   plugin->name().c_str());
    }
    return {true, nullptr};
  }
  return {false, nullptr};  // the frame is intact: the next link has it
}

}  // namespace pyhooks
