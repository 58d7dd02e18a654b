// plugins/jit/routes.cc - 3.12+: hot functions found without the eval-frame
// hook, and their compiled code entered through host function entries.
//
// The jit is an entry evaluator there (HOST-28: the host installs no hook
// for it) and observes START only, i.e. sys.monitoring's PY_START, which
// DISABLE turns off per code object. A code object's first calls are
// counted at START; once hot, the jit stops observing it (code_disable: it
// never costs again) and gives its function an entry (HOST-25), unless
// another observer sees the code: then it runs in the interpreter, where
// that observer sees every call. A function with a loop compiles at its
// first call, which START cannot replace (the frame runs already), so the
// first START seen from a module after a definition also routes that
// module's functions with loops. The entry unboxes the vectorcall
// arguments, finds or compiles the specialization and runs it; anything
// else (keywords, defaults, a deopt, a failed guard) is DECLINED, and
// CPython makes the call as it always does.
#include <exception>

#include "jit_plugin.h"

namespace jit {

namespace {

pyhooks_status entry_call_callback(pyhooks_plugin* self, void*,
                                   PyObject* function, PyObject* const* args,
                                   size_t nargsf, PyObject* kwnames,
                                   PyObject** result) noexcept {
  auto* jit = pyhooks::user_data<JitPlugin>(self);
  if (jit == nullptr) return PYHOOKS_DECLINED;
  try {
    return jit->entry_call(function, args, nargsf, kwnames, result);
  } catch (const std::exception& error) {
    std::string message = std::string("jit: a compiled call failed (") +
                          error.what() + "); it runs in the interpreter";
    self->api->log(self, PYHOOKS_LOG_ERROR, message.c_str());
    return PYHOOKS_DECLINED;
  }
}

void entry_undone_callback(pyhooks_plugin* self, void*, PyObject* function,
                           int32_t reason) noexcept {
  if (auto* jit = pyhooks::user_data<JitPlugin>(self)) {
    try {
      jit->entry_undone(function, reason);
    } catch (const std::exception&) {
      // Only the re-try list grows here: without it the function stays in
      // the interpreter, which is always correct.
    }
  }
}

}  // namespace

pyhooks_status JitPlugin::on_event(pyhooks_event event,
                                   const pyhooks_frame* frame) {
  if (event != PYHOOKS_EVENT_START || !entries_) return PYHOOKS_DISABLE;
  PyObject* code = frame->code;
  PyObject* function = host_.api().frame_function(frame);
  if (function == nullptr || !PyFunction_Check(function) ||
      PyFunction_GetCode(function) != code) {
    return PYHOOKS_DISABLE;
  }
  // The started code first: its first call's arguments may decline it
  // before the module's functions with loops are routed.
  pyhooks_status answer = PYHOOKS_DISABLE;
  CodeState* state = state_of(code);
  if (state != nullptr && !state->claimed) {
    pyhooks_status status = hot(code, state, frame);
    if (status == PYHOOKS_DECLINED) answer = PYHOOKS_OK;  // still counting
    std::string why;
    if (status == PYHOOKS_OK && !route(function, &why))
      disable(code, why, true);
  }
  route_looping_functions(PyFunction_GetGlobals(function));
  return answer;
}

bool JitPlugin::route(PyObject* function, std::string* why) {
  PyObject* code = PyFunction_GetCode(function);
  CodeState* state = state_of(code);
  if (state == nullptr) {
    *why = "no per-code storage is left for it";
    return false;
  }
  // From now on the entry sees every call: the counting stops for good.
  host_.api().code_disable(host_.handle(), code);
  state->claimed = true;
  if (host_.api().code_is_observed(host_.handle(), code)) {
    *why =
        "an observer watches it (it runs in the interpreter, where the "
        "observer sees every call)";
    return false;
  }
  pyhooks_function_entry entry{sizeof entry, &entry_call_callback,
                               &entry_undone_callback, nullptr};
  pyhooks_status status =
      host_.api().function_entry_set(host_.handle(), function, &entry);
  if (status != PYHOOKS_OK) {
    *why =
        "the host gives its function no entry (an outer evaluator runs "
        "it, or another tool set its vectorcall)";
    return false;
  }
  ++routes_set_;
  return true;
}

void JitPlugin::route_looping_functions(PyObject* globals) {
  if (globals == nullptr || !PyDict_Check(globals)) return;
  Py_ssize_t size = PyDict_Size(globals);
  auto found = scanned_globals_.find(globals);
  if (found != scanned_globals_.end()) {
    if (found->second.second == size) return;  // nothing defined since
    found->second.second = size;
  } else {
    scanned_globals_.emplace(globals,
                             std::make_pair(Ref::borrow(globals), size));
  }
  // Collected first: nothing below runs Python code, but the dict is the
  // program's, so it is not walked while the jit works.
  std::vector<Ref> functions;
  Py_ssize_t position = 0;
  PyObject *key = nullptr, *value = nullptr;
  while (PyDict_Next(globals, &position, &key, &value)) {
    if (PyFunction_Check(value) && PyFunction_GetGlobals(value) == globals) {
      functions.push_back(Ref::borrow(value));
    }
  }
  for (const Ref& function : functions) {
    PyObject* code = PyFunction_GetCode(function.get());
    CodeState* state = state_of(code);
    if (state == nullptr || state->claimed || !state->never.empty()) continue;
    if (decode(code, state) != PYHOOKS_OK || !state->loops) continue;
    std::string why;
    if (!route(function.get(), &why)) disable(code, why, true);
  }
}

pyhooks_status JitPlugin::entry_call(PyObject* function, PyObject* const* args,
                                     size_t nargsf, PyObject* kwnames,
                                     PyObject** result) {
  ++entry_calls_;
  if (kwnames != nullptr && PyTuple_Size(kwnames) != 0) {
    return PYHOOKS_DECLINED;  // CPython binds keywords
  }
  PyObject* code = PyFunction_GetCode(function);
  CodeState* state = state_of(code);
  if (state == nullptr || !state->decoded || !state->decode_error.empty()) {
    return PYHOOKS_DECLINED;
  }
  if (watched_by_others()) return PYHOOKS_DECLINED;
  auto argc = static_cast<int32_t>(PyVectorcall_NARGS(nargsf));
  if (argc != state->ir.arg_count) return PYHOOKS_DECLINED;  // defaults
  Specialization* spec = nullptr;
  uint64_t slots[kMaxArgs];
  pyhooks_status status =
      specialize(code, function, state, args, argc, &spec, slots);
  if (status == PYHOOKS_OK) status = run(code, state, spec, slots, result);
  if (status == PYHOOKS_DISABLE) {
    // It never compiles: CPython's own entry from now on (the call in
    // progress continues there too).
    host_.api().function_entry_clear(host_.handle(), function);
    return PYHOOKS_DECLINED;
  }
  return status;
}

void JitPlugin::entry_undone(PyObject* function, int32_t reason) {
  // A chain change that makes the route unsound (an observer arrived) is
  // re-tried at the next one; __code__ replaced gives a new code object,
  // counted afresh at its START; the others end the function's route.
  if (reason == PYHOOKS_ENTRY_CHAIN) unrouted_.push_back(Ref::borrow(function));
}

bool JitPlugin::may_call_natively(PyObject* function) {
  PyObject* code = PyFunction_GetCode(function);
  if (entries_) {
    // Compiled code calls it natively: the jit's own counting of it ends,
    // and its Python callers get an entry too.
    CodeState* state = state_of(code);
    std::string why;
    if (state != nullptr && !state->claimed &&
        decode(code, state) == PYHOOKS_OK) {
      if (state->leaf && !leaves_) {
        // Compiled in its callers' units only: its interpreted callers
        // keep CPython's call, which is cheaper than an entry.
        host_.api().code_disable(host_.handle(), code);
        state->claimed = true;
      } else {
        route(function, &why);
      }
    }
  }
  return host_.api().code_is_observed(host_.handle(), code) == 0;
}

void JitPlugin::reroute_after_chain_change() {
  std::vector<Ref> waiting;
  waiting.swap(unrouted_);
  for (Ref& function : waiting) {
    std::string why;
    if (!route(function.get(), &why)) unrouted_.push_back(std::move(function));
  }
}

}  // namespace jit
