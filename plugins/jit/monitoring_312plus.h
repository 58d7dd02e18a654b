/* plugins/jit/monitoring_312plus.h - the body of monitoring.h's reader,
 * the same source for 3.12 and 3.13 (one layout; each file compiles it
 * against its own headers). Ids 6 and 7 are sys.setprofile's and
 * sys.settrace's, which the thread's trace and profile functions show. */
#pragma once

static bool foreign_tool(void) {
  PyInterpreterState* interp = PyInterpreterState_Get();
  for (int id = 0; id < PY_MONITORING_TOOL_IDS; ++id) {
    PyObject* name = interp->monitoring_tool_names[id];
    if (name != NULL &&
        (!PyUnicode_Check(name) ||
         PyUnicode_CompareWithASCIIString(name, "pyhooks") != 0)) {
      return true;
    }
  }
  return false;
}
