// plugins/jit/jit_plugin.cc - the evaluator (jit_plugin.h).
#include "jit_plugin.h"

#include <unistd.h>

#include <time.h>

#include <algorithm>
#include <cstdio>

#include "backend_loader.h"
#include "code_reader.h"
#include "native_heap.h"
#include "python_env.h"

namespace jit {

namespace {

constexpr uint32_t kMaxDeopts = 16;  // then the code is no longer tried
constexpr size_t kMaxSpecializations = 4;
constexpr int64_t kMaxNativeDepth = 20000;  // C stack: small native frames
constexpr size_t kListedDeclines = 40;

std::string current_directory() {
  char buffer[4096];
  return getcwd(buffer, sizeof buffer) ? buffer : "";
}

uint64_t thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000u +
         static_cast<uint64_t>(now.tv_nsec);
}

int python_minor(const pyhooks_host_api& api) {
  return static_cast<int>((api.python_version_hex >> 16) & 0xff);
}

// The argument's kind and 8-byte slot; false if outside the subset (or an
// int beyond 64 bits: that call runs in the interpreter).
bool unbox(PyObject* object, Kind* kind, uint64_t* slot) {
  if (Py_IS_TYPE(object, &PyFloat_Type)) {
    double value = PyFloat_AsDouble(object);
    __builtin_memcpy(slot, &value, sizeof value);
    *kind = Kind::kFloat;
    return true;
  }
  if (Py_IS_TYPE(object, &PyBool_Type)) {
    *slot = object == Py_True ? 1 : 0;
    *kind = Kind::kBool;
    return true;
  }
  if (Py_IS_TYPE(object, &PyLong_Type)) {
    int overflow = 0;
    long long value = PyLong_AsLongLongAndOverflow(object, &overflow);
    if (overflow != 0) return false;
    *slot = static_cast<uint64_t>(value);
    *kind = Kind::kInt;
    return true;
  }
  // A list or tuple is passed as itself; its kind names the element type
  // of its first item (an empty one: floats), which every read checks.
  bool list = Py_IS_TYPE(object, &PyList_Type);
  if (list || Py_IS_TYPE(object, &PyTuple_Type)) {
    Py_ssize_t size = list ? PyList_Size(object) : PyTuple_Size(object);
    PyObject* first = size == 0 ? nullptr
                      : list    ? PyList_GetItem(object, 0)
                                : PyTuple_GetItem(object, 0);
    bool floats = first == nullptr || Py_IS_TYPE(first, &PyFloat_Type);
    if (!floats && !Py_IS_TYPE(first, &PyLong_Type)) return false;
    Kind element = floats ? Kind::kFloat : Kind::kInt;
    *kind = list                      ? list_of(element)
            : element == Kind::kFloat ? Kind::kTupleFloat
                                      : Kind::kTupleInt;
    *slot = reinterpret_cast<uint64_t>(object);
    return true;
  }
  return false;
}

// Whether an argument's type may be in the subset (unbox() decides, with
// the elements and the int's size): the check at a function's first call.
bool may_unbox(PyObject* object) {
  PyTypeObject* type = Py_TYPE(object);
  return type == &PyFloat_Type || type == &PyLong_Type ||
         type == &PyBool_Type || type == &PyList_Type || type == &PyTuple_Type;
}

constexpr const char* kLeafReason =
    "it neither loops nor calls a compiled function: called from the "
    "interpreter, its compiled form would cost more than it saves (option "
    "leaves compiles it)";

// "a str", "a list of str": what an argument outside the subset is.
std::string described(PyObject* object) {
  std::string text = std::string("a ") + Py_TYPE(object)->tp_name;
  PyObject* first = nullptr;
  if (Py_IS_TYPE(object, &PyList_Type) && PyList_Size(object) > 0) {
    first = PyList_GetItem(object, 0);
  } else if (Py_IS_TYPE(object, &PyTuple_Type) && PyTuple_Size(object) > 0) {
    first = PyTuple_GetItem(object, 0);
  }
  if (first != nullptr) {
    text += std::string(" of ") + Py_TYPE(first)->tp_name;
  }
  return text;
}

// A unit pays for its entry only with a loop or a native call somewhere
// (recursion included); otherwise the interpreter's own call is cheaper.
bool worth_compiling(const Unit& unit) {
  for (const auto& plan : unit.plans) {
    if (plan->loops || plan->native_calls) return true;
  }
  return false;
}

PyObject* box(Kind kind, uint64_t slot) {
  switch (kind) {
    case Kind::kFloat: {
      double value;
      __builtin_memcpy(&value, &slot, sizeof value);
      return PyFloat_FromDouble(value);
    }
    case Kind::kBool:
      return PyBool_FromLong(slot != 0);
    case Kind::kNone:
      Py_IncRef(Py_None);
      return Py_None;
    default:
      return PyLong_FromLongLong(static_cast<long long>(slot));
  }
}

// A function's builtins: the field every minor from 3.10 on has at the same
// place (PyFunctionObject's common fields), with no function to read it.
PyObject* function_builtins(PyObject* function) {
  return reinterpret_cast<PyFunctionObject*>(function)->func_builtins;
}

std::string signature_text(const std::vector<Kind>& args) {
  std::string text = "(";
  for (size_t i = 0; i < args.size(); ++i) {
    text += (i ? ", " : "") + std::string(kind_name(args[i]));
  }
  return text + ")";
}

}  // namespace

JitPlugin::JitPlugin(pyhooks::host host)
    : host_(host), guard_watch_(host.handle()) {
  if (!python_data_bound()) {
    throw pyhooks::init_error(
        "Python's type objects are not visible to the jit library (it was "
        "loaded outside a Python process that exports libpython's symbols)");
  }
  auto options = host.options(kOptions);
  threshold_ = options.integer_in("threshold", 0, 1000000000);
  opt_level_ = static_cast<int>(options.integer_in("opt_level", 0, 3));
  dump_ir_ = options.boolean("dump_ir");
  stats_ = options.boolean("stats");
  leaves_ = options.boolean("leaves");
  for (const auto& [name, include] :
       {std::pair{"include", true}, std::pair{"exclude", false}}) {
    for (const std::string& pattern : options.strings(name)) {
      std::string problem = filter_.add(pattern, include);
      if (!problem.empty()) throw pyhooks::init_error("option " + problem);
    }
  }
  start_dir_ = current_directory();
  int minor = python_minor(host.api());
  decoder_ = decoder_for_minor(minor);
  entries_ = minor >= 12;  // the descriptor's choice (plugin_entry.cc)
  thread_facts_ = thread_facts_for_minor(minor);
  foreign_tool_ = foreign_tool_for_minor(minor);
  if (decoder_ == nullptr || thread_facts_ == nullptr) {
    throw pyhooks::declined(
        "this build of the jit has no bytecode decoder "
        "for CPython 3." +
        std::to_string(minor) +
        "; rebuild pyhooks with that interpreter in "
        "PYHOOKS_PYTHONS");
  }
}

// LLVM's JIT starts at the first compile, so that a program with nothing
// to compile never pays for it. "" or why it cannot start (said once).
std::string JitPlugin::start_engine() {
  if (engine_) return "";
  if (!engine_error_.empty()) return engine_error_;
  engine_ = load_engine(
      opt_level_,
      [this](const std::string& symbol, uint64_t address, uint64_t size) {
        write_perf_symbol(symbol, address, size);
      },
      &engine_error_);
  if (!engine_) {
    engine_error_ = "LLVM's JIT cannot start: " + engine_error_;
    host_.error(engine_error_);
  }
  return engine_error_;
}

CodeState* JitPlugin::state_of(PyObject* code) {
  void** slot = host_.api().code_slot(host_.handle(), code);
  if (slot == nullptr) return nullptr;
  if (*slot == nullptr) *slot = new CodeState();
  return static_cast<CodeState*>(*slot);
}

std::string JitPlugin::where(PyObject* code) const {
  pyhooks_code_info info{};
  info.struct_size = sizeof info;
  if (host_.api().code_info(host_.handle(), code, &info) != PYHOOKS_OK) {
    return "?";
  }
  return std::string(info.qualname ? info.qualname : "?") + " (" +
         (info.filename ? info.filename : "?") + ":" +
         std::to_string(info.first_line) + ")";
}

pyhooks_status JitPlugin::disable(PyObject* code, const std::string& reason,
                                  bool listed) {
  ++declined_;
  if (!listed || !stats_) return PYHOOKS_DISABLE;
  std::string place = where(code);
  if (place.find("(<frozen ") != std::string::npos) return PYHOOKS_DISABLE;
  for (const Decline& known : declines_) {
    if (known.where == place) return PYHOOKS_DISABLE;  // re-entered
  }
  if (declines_.size() < kListedDeclines) {
    declines_.push_back({place, reason});
  } else {
    ++unlisted_;
  }
  return PYHOOKS_DISABLE;
}

// Looks at the first call (first_look) and counts calls (a function with a
// loop is hot at once): OK once hot, DECLINED while counting, DISABLE if it
// never will be. Without `stats` a decline found at the first call
// disables at once; with it, calls are counted on to `threshold` as for
// code that may compile, so that hot functions' declines are listed.
pyhooks_status JitPlugin::hot(PyObject* code, CodeState* state,
                              const pyhooks_frame* frame) {
  if (!state->looked) {
    if (decode(code, state, false) != PYHOOKS_OK) return PYHOOKS_DISABLE;
    state->looked = true;
    state->never = first_look(code, state, frame);
  }
  if (!state->never.empty()) {
    if (stats_ && state->calls < threshold_) {
      ++state->calls;
      return PYHOOKS_DECLINED;
    }
    if (state->never_count != nullptr) ++*state->never_count;
    state->never_count = nullptr;  // counted once
    return disable(code, state->never, true);
  }
  if (!state->loops && state->calls < threshold_) {
    ++state->calls;
    return PYHOOKS_DECLINED;
  }
  return PYHOOKS_OK;
}

// What the first call says: the arguments' types (before any decoding:
// a method's `self`, a str), then the bytecode, then whether the function
// is a leaf. "" or why the code is never compiled as an entry.
std::string JitPlugin::first_look(PyObject* code, CodeState* state,
                                  const pyhooks_frame* frame) {
  int32_t argc = frame != nullptr ? host_.api().frame_arg_count(frame) : 0;
  for (int32_t i = 0; i < argc; ++i) {
    PyObject* arg = host_.api().frame_arg(frame, i);
    if (arg == nullptr || may_unbox(arg)) continue;
    state->never_count = &arguments_declined_;
    if (!stats_) return "an argument's type";
    const char* name = nullptr;
    uint32_t kind = 0;
    host_.api().code_local(host_.handle(), code, i, &name, &kind);
    return std::string("argument '") + (name ? name : "?") + "' is " +
           described(arg) +
           " at its first call (int, float, bool and lists or tuples of int "
           "or float compile)";
  }
  read(code, state);
  if (!state->decode_error.empty()) {
    state->never_count = &undecodable_;
    return state->decode_error;
  }
  if (state->leaf && !leaves_) {
    state->never_count = &leaves_declined_;
    return kLeafReason;
  }
  return "";
}

// OK once the code is read, or DISABLE for code the include/exclude
// options leave out (`read` false: only that check).
pyhooks_status JitPlugin::decode(PyObject* code, CodeState* state, bool read) {
  if (!state->decoded && !filter_.empty()) {
    pyhooks_code_info info{};
    info.struct_size = sizeof info;
    if (host_.api().code_info(host_.handle(), code, &info) == PYHOOKS_OK &&
        !filter_.classify(info.filename ? info.filename : "", start_dir_)
             .included) {
      return PYHOOKS_DISABLE;
    }
  }
  if (read) this->read(code, state);
  return PYHOOKS_OK;
}

void JitPlugin::read(PyObject* code, CodeState* state) {
  if (state->decoded) return;
  state->decoded = true;
  state->decode_error =
      read_code(host_.handle(), code, decoder_, stats_, &state->ir);
  if (!state->decode_error.empty()) return;
  state->loops = has_loop(state->ir);
  state->leaf = !state->loops && !has_call(state->ir);
}

pyhooks_status JitPlugin::evaluate(pyhooks_frame* frame, PyObject** result) {
  PyObject* code = frame->code;
  CodeState* state = state_of(code);
  if (state == nullptr) return PYHOOKS_DECLINED;
  pyhooks_status status = hot(code, state, frame);
  if (status != PYHOOKS_OK) return status;
  if (watched_by_others()) return PYHOOKS_DECLINED;
  PyObject* function = host_.api().frame_function(frame);
  if (function == nullptr) {
    return disable(code, "its frame has no function", true);
  }
  int32_t argc = host_.api().frame_arg_count(frame);
  if (argc != state->ir.arg_count || argc > kMaxArgs) {
    return disable(code, "it takes more than 15 arguments", false);
  }
  PyObject* args[kMaxArgs];
  for (int32_t i = 0; i < argc; ++i) {
    args[i] = host_.api().frame_arg(frame, i);
    if (args[i] == nullptr) return PYHOOKS_DECLINED;
  }
  Specialization* spec = nullptr;
  uint64_t slots[kMaxArgs];
  status = specialize(code, function, state, args, argc, &spec, slots);
  if (status != PYHOOKS_OK) return status;
  return run(code, state, spec, slots, result);
}

// The compiled code for these arguments, found or compiled now, with its
// guards checked: OK with *out and `slots` filled, else DECLINED (this call
// runs in the interpreter) or DISABLE (the code never compiles).
pyhooks_status JitPlugin::specialize(PyObject* code, PyObject* function,
                                     CodeState* state, PyObject* const* args,
                                     int32_t argc, Specialization** out,
                                     uint64_t* slots) {
  if (argc != state->ir.arg_count || argc > kMaxArgs) {
    return disable(code, "it takes more than 15 arguments", false);
  }
  Kind kinds[kMaxArgs];  // no allocation per call: a vector only to compile
  for (int32_t i = 0; i < argc; ++i) {
    PyObject* arg = args[i];
    if (!unbox(arg, &kinds[i], &slots[i])) {
      if (Py_IS_TYPE(arg, &PyLong_Type)) return PYHOOKS_DECLINED;  // big int
      return disable(code,
                     "argument '" + state->ir.local_names[i] + "' is " +
                         described(arg) +
                         " (int, float, bool and lists or tuples of int or "
                         "float compile)",
                     true);
    }
  }
  // A quick key for the lookup; the kinds themselves are compared too.
  uint32_t signature = 0;
  for (int32_t i = 0; i < argc; ++i)
    signature = signature * 31 + static_cast<uint32_t>(kinds[i]);

  Specialization* spec = nullptr;
  for (size_t i = 0; i < state->specializations.size(); ++i) {
    Specialization* candidate = state->specializations[i].get();
    if (candidate->signature != signature ||
        !std::equal(candidate->args.begin(), candidate->args.end(), kinds,
                    kinds + argc)) {
      continue;
    }
    if (candidate->generation != generation_) {
      drop(state, i);  // the chain changed: recompile against the new one
      break;
    }
    spec = candidate;
    break;
  }
  if (spec == nullptr) {
    if (state->specializations.size() >= kMaxSpecializations) {
      return disable(code,
                     "it is called with too many argument type "
                     "signatures",
                     true);
    }
    spec = compile(code, function, state, signature,
                   std::vector<Kind>(kinds, kinds + argc));
    if (spec == nullptr) return PYHOOKS_DISABLE;  // disable() was counted
  }
  if (spec->compiled.entry == nullptr) return PYHOOKS_DECLINED;
  // Watched guards are looked up only after something they read changed.
  bool unchanged = spec->watched && spec->checked_epoch == guard_watch_.epoch();
  if (!unchanged && spec->watched) ++guard_rechecks_;
  if (spec->globals.get() != PyFunction_GetGlobals(function) ||
      spec->builtins.get() != function_builtins(function) ||
      (!unchanged && !spec->guards.hold())) {
    // A global was rebound, a builtin shadowed, a __code__ replaced: the
    // compiled code is stale. Drop it; the next call compiles afresh.
    ++guard_failures_;
    ++state->deopts;
    for (size_t i = 0; i < state->specializations.size(); ++i) {
      if (state->specializations[i].get() == spec) drop(state, i);
    }
    if (state->deopts > kMaxDeopts) {
      return disable(code, "its guards failed or it deopted more than 16 times",
                     true);
    }
    return PYHOOKS_DECLINED;
  }
  spec->checked_epoch = guard_watch_.epoch();
  *out = spec;
  return PYHOOKS_OK;
}

pyhooks_status JitPlugin::run(PyObject* code, CodeState* state,
                              Specialization* spec, const uint64_t* slots,
                              PyObject** result) {
  ThreadFacts facts = thread_facts_();
  NativeContext context{std::min(facts.recursion_remaining, kMaxNativeDepth),
                        nullptr};
  uint64_t value = 0;
  int32_t status = spec->compiled.entry(slots, &value, &context);
  ++native_calls_;
  if (context.heap != nullptr) {
    // A deopt leaves every list as it was (the interpreter reruns the
    // frame); otherwise the stores stand (the heap's destructor commits).
    if (status == kNativeDeopt) context.heap->undo();
    delete context.heap;
  }
  if (status == kNativeOk) {
    *result = box(spec->result, value);
    return *result != nullptr ? PYHOOKS_HANDLED : PYHOOKS_ERROR;
  }
  if (status == kNativeError) return PYHOOKS_ERROR;
  // Deopt: the interpreter runs the frame from the start and produces the
  // exact result or exception.
  ++deopts_;
  if (++state->deopts > kMaxDeopts) {
    return disable(code,
                   "it deopted more than 16 times (big ints, "
                   "exceptions, recursion depth)",
                   true);
  }
  return PYHOOKS_DECLINED;
}

// A signature that does not compile: with another signature compiled, only
// calls with this one stay in the interpreter (the failed entry remembers
// it); otherwise the code is disabled. Returns what compile() returns.
Specialization* JitPlugin::failed(PyObject* code, CodeState* state,
                                  std::unique_ptr<Specialization> spec,
                                  const std::string& why) {
  std::string reason = signature_text(spec->args) + ": " + why;
  for (const auto& other : state->specializations) {
    if (other->compiled.entry != nullptr) {
      ++declined_signatures_;
      if (stats_ && declines_.size() < kListedDeclines) {
        declines_.push_back({where(code), reason});
      }
      spec->compiled = {};
      spec->guards = Guards();
      state->specializations.push_back(std::move(spec));
      return state->specializations.back().get();
    }
  }
  disable(code, reason, true);
  return nullptr;
}

Specialization* JitPlugin::compile(PyObject* code, PyObject* function,
                                   CodeState* state, uint32_t signature,
                                   const std::vector<Kind>& args) {
  uint64_t start = host_.api().clock_ns();
  uint64_t cpu_start = thread_cpu_ns();
  auto spec = std::make_unique<Specialization>();
  spec->signature = signature;
  spec->args = args;
  spec->generation = generation_;
  PyObject* globals = PyFunction_GetGlobals(function);
  PyObject* builtins = function_builtins(function);
  if (globals == nullptr || builtins == nullptr) {
    disable(code, "its function has no globals or builtins", true);
    return nullptr;
  }
  spec->globals = Ref::borrow(globals);
  spec->builtins = Ref::borrow(builtins);
  PythonEnvironment env(this, function, code, globals, builtins, &spec->guards);
  Unit unit;
  std::string why = infer_unit(&env, args, &unit);
  if (!why.empty()) return failed(code, state, std::move(spec), why);
  if (!leaves_ && !worth_compiling(unit)) {
    return failed(code, state, std::move(spec), kLeafReason);
  }
  spec->result = unit.plans[0]->result;
  // Watched from the moment the guards' values were read (no Python code
  // ran since); 3.11 answers E_UNSUPPORTED and keeps the lookups.
  spec->watched = entries_ && guard_watch_.watch(spec->guards);
  spec->checked_epoch = guard_watch_.epoch();
  std::string entry_name = "pyhooks_jit_unit_" + std::to_string(++units_);
  symbol_names_.clear();
  for (size_t p = 0; p < unit.plans.size(); ++p) {
    symbol_names_.push_back(
        {"py." + unit.plans[p]->ir->qualname + "." + std::to_string(p),
         unit.plans[p]->ir->qualname});
  }
  symbol_names_.push_back({entry_name, unit.plans[0]->ir->qualname});
  uint64_t engine_start = thread_cpu_ns();
  why = start_engine();
  engine_start_cpu_ns_ += thread_cpu_ns() - engine_start;
  if (!why.empty()) return failed(code, state, std::move(spec), why);
  Engine::Dumps dumps;
  dumps.wanted = dump_ir_;
  spec->compiled = engine_->compile(unit, entry_name, &dumps, &why);
  if (dump_ir_) {
    std::string text;
    for (const auto& plan : unit.plans) text += ir::dump(*plan->ir);
    std::fprintf(stderr, "%s%s", text.c_str(), dumps.optimized.c_str());
  }
  if (spec->compiled.entry == nullptr) {
    return failed(code, state, std::move(spec), why);
  }
  uint64_t elapsed = host_.api().clock_ns() - start;
  ++compiled_;
  compile_ns_ += elapsed;
  compile_cpu_ns_ += thread_cpu_ns() - cpu_start;  // LLVM's start-up apart
  compiled_functions_ += unit.plans.size();
  if (elapsed > compile_max_ns_) {
    compile_max_ns_ = elapsed;
    compile_max_name_ = unit.plans[0]->ir->qualname;
  }
  state->specializations.push_back(std::move(spec));
  return state->specializations.back().get();
}

void JitPlugin::write_perf_symbol(const std::string& symbol, uint64_t address,
                                  uint64_t size) {
  std::string name = symbol;
  for (const auto& [llvm_name, qualname] : symbol_names_) {
    if (llvm_name == symbol) name = "py::" + qualname + " [jit]";
  }
  host_.api().perf_map_write(host_.handle(), reinterpret_cast<void*>(address),
                             static_cast<uint32_t>(size), name.c_str());
}

void JitPlugin::drop(CodeState* state, size_t index) {
  if (engine_) engine_->release(state->specializations[index]->compiled.handle);
  state->specializations.erase(state->specializations.begin() +
                               static_cast<std::ptrdiff_t>(index));
}

void JitPlugin::code_free(const void*, void* slot, void*) {
  auto* state = static_cast<CodeState*>(slot);
  if (state == nullptr) return;
  for (auto& spec : state->specializations) {
    if (engine_) engine_->release(spec->compiled.handle);
  }
  delete state;
}

void JitPlugin::release_code(void* slot, void*) {
  delete static_cast<CodeState*>(slot);  // the engine (and its code) is gone
}

void JitPlugin::on_chain_changed(uint32_t) {
  ++generation_;
  if (entries_) reroute_after_chain_change();
}

void JitPlugin::shutdown() {
  if (!stats_) return;
  std::fprintf(
      stderr,
      "pyhooks jit: %llu compiled, %llu declined (+%llu not "
      "decodable, +%llu leaves, +%llu by an argument's type at "
      "the first call, +%llu signatures), %llu native entries, %llu "
      "deopts, %llu guard failures\n",
      static_cast<unsigned long long>(compiled_),
      static_cast<unsigned long long>(declined_ - undecodable_ -
                                      leaves_declined_ - arguments_declined_),
      static_cast<unsigned long long>(undecodable_),
      static_cast<unsigned long long>(leaves_declined_),
      static_cast<unsigned long long>(arguments_declined_),
      static_cast<unsigned long long>(declined_signatures_),
      static_cast<unsigned long long>(native_calls_),
      static_cast<unsigned long long>(deopts_),
      static_cast<unsigned long long>(guard_failures_));
  if (entries_) {
    std::fprintf(stderr,
                 "pyhooks jit: %llu function entries set, %llu calls "
                 "through them, %llu guard re-checks after a watched "
                 "change\n",
                 static_cast<unsigned long long>(routes_set_),
                 static_cast<unsigned long long>(entry_calls_),
                 static_cast<unsigned long long>(guard_rechecks_));
  }
  if (compiled_ > 0) {
    std::fprintf(stderr,
                 "pyhooks jit: compile time %.1f ms total, %.1f ms mean, "
                 "%.1f ms max (%s)\n",
                 compile_ns_ / 1e6, compile_ns_ / 1e6 / compiled_,
                 compile_max_ns_ / 1e6, compile_max_name_.c_str());
    std::fprintf(stderr,
                 "pyhooks jit: compile CPU time %.1f ms for %llu functions "
                 "in those units, %.1f ms per function (LLVM's start-up "
                 "apart: %.1f ms)\n",
                 (compile_cpu_ns_ - engine_start_cpu_ns_) / 1e6,
                 static_cast<unsigned long long>(compiled_functions_),
                 (compile_cpu_ns_ - engine_start_cpu_ns_) / 1e6 /
                     std::max<uint64_t>(compiled_functions_, 1),
                 engine_start_cpu_ns_ / 1e6);
  }
  for (const Decline& decline : declines_) {
    std::fprintf(stderr, "pyhooks jit: declined %s: %s\n",
                 decline.where.c_str(), decline.reason.c_str());
  }
  if (unlisted_ > 0) {
    std::fprintf(stderr, "pyhooks jit: (%llu more declined functions)\n",
                 static_cast<unsigned long long>(unlisted_));
  }
}

}  // namespace jit
