// plugins/jit/thread_state_313.cc - thread_state.h for CPython 3.13
// (compiled against its headers: PyThreadState's layout is per minor), and
// the check that object_layout.h's offsets are this minor's.
#include <Python.h>

#include "object_layout.h"
#include "thread_state.h"

#if PY_VERSION_HEX < 0x030D0000 || PY_VERSION_HEX >= 0x030E0000
#error "thread_state_313.cc must be compiled against CPython 3.13's headers"
#endif

PYHOOKS_JIT_CHECK_OBJECT_LAYOUT();

namespace jit {

ThreadFacts thread_facts_313() {
  PyThreadState* tstate = PyThreadState_Get();
  return {tstate->c_tracefunc != nullptr || tstate->c_profilefunc != nullptr,
          static_cast<int64_t>(tstate->py_recursion_remaining)};
}

}  // namespace jit
