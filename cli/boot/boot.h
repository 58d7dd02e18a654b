/* cli/boot/boot.h - libpyhooks_boot.so, the library `pyhooks run` preloads
 * (LD_PRELOAD) into the interpreter it execs.
 *
 * Its constructor runs before Python's main() and does two things:
 *   1. main_stack.c: gives the main thread deep-recursion room (the room
 *      the launcher's raised RLIMIT_STACK left, in a child the kernel's
 *      minimum gap), then puts the inherited limit back, so that the program
 *      and its children see plain python's limits;
 *   2. start_hook.c: registers a C audit hook (PySys_AddAuditHook is safe
 *      before Py_Initialize) that, at Python's first "cpython.run_*" event -
 *      after site, sitecustomize and usercustomize, right before the
 *      program's first line - imports _pyhooks_boot.py from this library's
 *      directory and calls its start(), which activates the plugins.
 * Neither depends on PYTHONPATH, site or the user's sitecustomize, so every
 * interpreter option (-I, -E, -S, -X dev, ...) works as under python.
 *
 * The library is plain C with no dependency on libpython: every Python
 * function it calls is a weak reference, resolved from the interpreter that
 * loaded it, and it does nothing in a process that is not Python (children
 * inherit LD_PRELOAD). See docs/cli.md, "How pyhooks run works".
 */
#ifndef PYHOOKS_CLI_BOOT_H
#define PYHOOKS_CLI_BOOT_H

/* The environment variable naming the soft RLIMIT_STACK the launcher found
 * (decimal) before raising it; present only when it raised it. */
#define PYHOOKS_STACK_VARIABLE "PYHOOKS_STACK_RLIMIT"
/* The run spec (cli/run_spec.h); without it the library stays inert. */
#define PYHOOKS_SPEC_VARIABLE "PYHOOKS_RUN_SPEC"

/* In the program's own process (PYHOOKS_STACK_VARIABLE set): pre-grows the
 * main thread's stack mapping to the raised limit, then restores the
 * inherited soft limit and glibc's default thread stack size, and removes
 * the variable. In a child Python under pyhooks run (`python_under_run`):
 * grows the mapping into the room its exec left, keeping its limits. */
void pyhooks_settle_main_stack(int python_under_run);

/* Whether this process is a CPython with a run spec in its environment. */
int pyhooks_python_under_run(void);

/* Registers the start-up audit hook when this process is CPython and a run
 * spec is present. argv is the interpreter's own command line. */
void pyhooks_register_start_hook(int argc, char** argv);

#endif
