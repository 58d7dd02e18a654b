// plugins/jit/jit_plugin.h - the JIT evaluator: when to compile, what runs.
//
// evaluate() is offered every fresh activation. Per code object (its slot
// holds a CodeState): the first call looks at the argument types, then
// decodes the bytecode (an argument outside the subset, a failure, or a
// leaf - no loop, no call - DISABLEs the code: it costs nothing from then
// on); after `threshold`
// calls, or at once for a function with a loop, the argument kinds form a
// signature and (code, signature) is compiled once - type inference, LLVM,
// guards. A compiled call checks its guards, unboxes the arguments, runs
// native code and boxes the result; a deopt (overflow, a division by zero,
// anything whose exact result or exception is the interpreter's) DECLINEs
// the frame, which the interpreter then runs from the start - valid because
// compiled code's only side effects, list stores, are undone first
// (native_heap.h). Frames with sys.settrace/setprofile
// active run in the interpreter; calls into code an observer watches are
// never made natively (the unit declines), and a chain change drops every
// compiled unit (recompiled on the next call, against the new chain).
//
// On 3.12+ (routes.cc) no frame passes through the eval-frame hook: the jit
// is an entry evaluator (HOST-28) and counts calls as a START observer; a
// hot function (or one with a loop, found when its module is first called
// into) gets a host function entry, so its callers reach the compiled code
// through vectorcall; everything else runs exactly as under plain python.
#pragma once

#include <pyhooks/plugin.hpp>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bytecode.h"
#include "engine.h"
#include "guard_watch.h"
#include "guards.h"
#include "monitoring.h"
#include "support/code_filter.h"
#include "thread_state.h"

namespace jit {

struct Specialization {
  uint32_t signature = 0;
  std::vector<Kind> args;
  Kind result = Kind::kUnvisited;
  Engine::Compiled compiled;
  Guards guards;
  Ref globals, builtins;
  uint32_t generation = 0;
  // 3.12+: its guards are watched, and were found holding in this epoch.
  bool watched = false;
  uint64_t checked_epoch = 0;
};

struct CodeState {
  uint32_t calls = 0;
  uint32_t deopts = 0;
  bool decoded = false;
  bool loops = false;
  // Neither loops nor calls anything: compiled, nothing in it would pay
  // for the entry's boxing (the `leaves` option compiles it anyway).
  bool leaf = false;
  bool looked = false;   // its first call was looked at (first_look)
  bool claimed = false;  // 3.12+: START no longer counts it (routes.cc)
  std::string decode_error;
  // Why it is never compiled as an entry, known from its first call
  // (argument types, decoding, a leaf); "" if it may be. `never_count` is
  // the stats counter of that kind, bumped when the code is disabled.
  std::string never;
  uint64_t* never_count = nullptr;
  ir::Function ir;
  std::vector<std::unique_ptr<Specialization>> specializations;
};

class JitPlugin {
 public:
  static constexpr pyhooks_option_desc kOptions[] = {
      {"threshold", PYHOOKS_OPTION_INT, "2",
       "calls before a function without loops is compiled (0: at once)"},
      {"opt_level", PYHOOKS_OPTION_INT, "2", "LLVM optimisation level 0..3"},
      {"dump_ir", PYHOOKS_OPTION_BOOL, "false",
       "print the IR and the optimised LLVM IR of each compiled unit"},
      {"include", PYHOOKS_OPTION_STRING_LIST, nullptr,
       "module or filename globs: compile only matching code"},
      {"exclude", PYHOOKS_OPTION_STRING_LIST, nullptr,
       "module or filename globs: never compile matching code"},
      {"stats", PYHOOKS_OPTION_BOOL, "false",
       "print compile/decline/deopt counts and decline reasons at exit"},
      {"leaves", PYHOOKS_OPTION_BOOL, "false",
       "also compile functions that neither loop nor call compiled "
       "functions (slower when called from interpreted code)"},
  };

  explicit JitPlugin(pyhooks::host host);
  pyhooks_status evaluate(pyhooks_frame* frame, PyObject** result);
  // 3.12+ (routes.cc): START counts calls and routes hot functions; the
  // entry runs their compiled code; undone drops (or re-tries) a route.
  pyhooks_status on_event(pyhooks_event event, const pyhooks_frame* frame);
  pyhooks_status entry_call(PyObject* function, PyObject* const* args,
                            size_t nargsf, PyObject* kwnames,
                            PyObject** result);
  void entry_undone(PyObject* function, int32_t reason);
  // For the environment: true if compiled code may call `function`
  // natively (no observer but the jit's own counting sees its code, which
  // stops: on 3.12+ the function gets its own entry instead).
  bool may_call_natively(PyObject* function);
  void code_free(const void* code_key, void* slot, void* data);
  static void release_code(void* slot, void* data);
  void on_chain_changed(uint32_t generation);
  void shutdown();

  // For the environment (python_env.cc): a code object's state, and its
  // IR read once (state->decode_error says whether it decoded).
  CodeState* state_of(PyObject* code);
  void read(PyObject* code, CodeState* state);
  pyhooks_plugin* handle() const { return host_.handle(); }

 private:
  static constexpr int32_t kMaxArgs = 15;  // 2 bits each in a signature
  // True if a frame must run in the interpreter so that a debugger,
  // profiler or coverage tool sees it: sys.settrace or sys.setprofile on
  // this thread, or (3.12+) another sys.monitoring tool (monitoring.h).
  bool watched_by_others() const {
    return thread_facts_().tracing ||
           (foreign_tool_ != nullptr && foreign_tool_());
  }
  struct Decline {
    std::string where;  // qualname (file:line)
    std::string reason;
  };
  pyhooks_status hot(PyObject* code, CodeState* state,
                     const pyhooks_frame* frame);
  std::string first_look(PyObject* code, CodeState* state,
                         const pyhooks_frame* frame);
  pyhooks_status specialize(PyObject* code, PyObject* function,
                            CodeState* state, PyObject* const* args,
                            int32_t argc, Specialization** out,
                            uint64_t* slots);
  pyhooks_status run(PyObject* code, CodeState* state, Specialization* spec,
                     const uint64_t* slots, PyObject** result);
  Specialization* compile(PyObject* code, PyObject* function, CodeState* state,
                          uint32_t signature, const std::vector<Kind>& args);
  pyhooks_status decode(PyObject* code, CodeState* state, bool read = true);
  // routes.cc: true if `function` now has an entry, else *why not.
  bool route(PyObject* function, std::string* why);
  void route_looping_functions(PyObject* globals);
  void reroute_after_chain_change();
  Specialization* failed(PyObject* code, CodeState* state,
                         std::unique_ptr<Specialization> spec,
                         const std::string& why);
  pyhooks_status disable(PyObject* code, const std::string& reason,
                         bool listed);
  std::string where(PyObject* code) const;
  void drop(CodeState* state, size_t index);
  std::string start_engine();
  void write_perf_symbol(const std::string& symbol, uint64_t address,
                         uint64_t size);

  pyhooks::host host_;
  int64_t threshold_;
  int opt_level_;
  bool dump_ir_;
  bool stats_;
  bool leaves_;
  pyhooks::support::CodeFilter filter_;
  std::string start_dir_;
  Decoder decoder_ = nullptr;
  ThreadFactsFn thread_facts_ = nullptr;
  ForeignToolFn foreign_tool_ = nullptr;  // nullptr on 3.11
  std::unique_ptr<Engine> engine_;
  GuardWatch guard_watch_;
  std::string engine_error_;
  uint32_t generation_ = 0;
  uint64_t units_ = 0;
  std::vector<std::pair<std::string, std::string>> symbol_names_;
  // 3.12+: whether routes are used; functions whose route the chain undid
  // (re-tried at the next chain change); module dicts already looked at
  // for functions with loops, with their size then.
  bool entries_ = false;
  std::vector<Ref> unrouted_;
  std::unordered_map<PyObject*, std::pair<Ref, Py_ssize_t>> scanned_globals_;

  // stats
  uint64_t compiled_ = 0, declined_ = 0, deopts_ = 0, guard_failures_ = 0;
  uint64_t native_calls_ = 0, undecodable_ = 0, unlisted_ = 0;
  uint64_t routes_set_ = 0, entry_calls_ = 0, guard_rechecks_ = 0;
  uint64_t declined_signatures_ = 0;
  uint64_t leaves_declined_ = 0, arguments_declined_ = 0;
  uint64_t compile_ns_ = 0, compile_max_ns_ = 0;
  std::string compile_max_name_;
  // CPU time of this thread in compile(), and the functions (plans) the
  // compiled units held: per function, unaffected by other processes.
  uint64_t compile_cpu_ns_ = 0, compiled_functions_ = 0;
  uint64_t engine_start_cpu_ns_ = 0;  // loading LLVM, in the first compile
  std::vector<Decline> declines_;
};

}  // namespace jit
