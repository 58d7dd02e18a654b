/* plugins/jit/monitoring.h - whether a sys.monitoring tool other than
 * pyhooks' own is registered (3.12+): coverage with COVERAGE_CORE=sysmon,
 * cProfile (a sys.monitoring tool since 3.12), a debugger. While one is,
 * compiled code is not entered: frames run in the interpreter, where the
 * tool sees every event it asks for, globally or on any code object, as
 * under sys.settrace. The registered tools are in CPython's internal
 * interpreter state: one C file per minor reads them (monitoring_312.c,
 * monitoring_313.c; C because 3.12's internal headers do not compile as
 * C++). */
#pragma once

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* True if a tool id is in use under a name other than "pyhooks". */
bool pyhooks_jit_foreign_tool_312(void);
bool pyhooks_jit_foreign_tool_313(void);

#ifdef __cplusplus
}

namespace jit {

using ForeignToolFn = bool (*)();

/* The reader for a CPython minor this build holds, or nullptr (3.11 has no
 * sys.monitoring). */
ForeignToolFn foreign_tool_for_minor(int minor);

}  // namespace jit
#endif
