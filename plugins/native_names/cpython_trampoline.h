// plugins/native_names/cpython_trampoline.h - is CPython's own perf
// trampoline (3.12+: -X perf, -X perf_jit, PYTHONPERFSUPPORT=1,
// PYTHON_PERF_JIT_SUPPORT=1, or sys.activate_stack_trampoline()) naming
// frames in this process?
#pragma once

namespace native_names {

// True when sys.is_stack_trampoline_active() says so, or when the process
// was started with the trampoline on: once pyhooks' hook is installed (by
// another evaluator) CPython's trampoline runs chained behind it and that
// function says False. Always false on 3.11, which has no trampoline. Call
// with the GIL held; leaves no exception set.
bool cpython_trampoline_active();

}  // namespace native_names
