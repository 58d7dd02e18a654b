/* plugins/jit/monitoring_313.c - monitoring.h for CPython 3.13, compiled
 * against its internal headers. */
#include <Python.h>
#define Py_BUILD_CORE 1
#undef _PyGC_FINALIZED /* cpython#105268: clashes with the internal headers */
#include "internal/pycore_interp.h" /* monitoring_tool_names */
#undef Py_BUILD_CORE

#include "monitoring.h"
#include "monitoring_312plus.h"

#if PY_VERSION_HEX < 0x030D0000 || PY_VERSION_HEX >= 0x030E0000
#error "monitoring_313.c must be compiled against CPython 3.13's headers"
#endif

bool pyhooks_jit_foreign_tool_313(void) { return foreign_tool(); }
