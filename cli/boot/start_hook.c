/* cli/boot/start_hook.c - the audit hook that starts the plugins just before
 * the program's first line (see boot.h).
 *
 * CPython raises "cpython.run_file", "cpython.run_module",
 * "cpython.run_command", "cpython.run_stdin" or "cpython.run_startup" in
 * Modules/main.c once the interpreter is fully initialized, immediately
 * before it runs what its command line names. The first of these, in the
 * main interpreter, runs _pyhooks_boot.start(event, args). SIGINT is held
 * back meanwhile, so that a Ctrl-C cannot stop pyhooks halfway; if one came,
 * the process then ends as python ends on an unhandled KeyboardInterrupt
 * (the line on stderr, death by SIGINT) before the program's first line.
 * Delivering it to Python instead would raise it wherever Python runs code
 * next (3.13 imports linecache for -c), which can end with status 1.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"

/* The CPython API used here, as weak references: NULL outside Python. */
typedef struct _object PyObject;
typedef struct _is PyInterpreterState;
typedef long Py_ssize_t;
typedef int (*Py_AuditHookFunction)(const char*, PyObject*, void*);
#define WEAK __attribute__((weak))
extern WEAK int PySys_AddAuditHook(Py_AuditHookFunction, void*);
extern WEAK void PyMem_SetupDebugHooks(void);
extern WEAK PyInterpreterState* PyInterpreterState_Get(void);
extern WEAK PyInterpreterState* PyInterpreterState_Main(void);
extern WEAK PyObject* PySys_GetObject(const char*);
extern WEAK int PyList_Insert(PyObject*, Py_ssize_t, PyObject*);
extern WEAK PyObject* PyUnicode_DecodeFSDefault(const char*);
extern WEAK PyObject* PyImport_ImportModule(const char*);
extern WEAK PyObject* PyObject_CallMethod(PyObject*, const char*, const char*,
                                          ...);
extern WEAK int PyErr_ExceptionMatches(PyObject*);
extern WEAK void PyErr_Clear(void);
extern WEAK void PyErr_Print(void);
extern WEAK void Py_DecRef(PyObject*);
extern WEAK PyObject* PyExc_KeyboardInterrupt;

static const char kBootModule[] = "_pyhooks_boot";
static char boot_dir[PATH_MAX];
static int started;

/* Whether CPython will install its debug allocator hooks (-X dev,
 * PYTHONDEVMODE, PYTHONMALLOC=...debug), read as CPython's pre-configuration
 * does. The hook entry is allocated now and freed at exit by the allocator
 * then in place, so both must be the same kind. */
static int debug_allocator_ahead(int argc, char** argv) {
  int use_environment = 1;
  int dev_mode = 0;
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    if (arg[0] != '-' || arg[1] == '\0' || strcmp(arg, "--") == 0) break;
    if (arg[1] == '-') {
      if (strcmp(arg, "--check-hash-based-pycs") == 0) ++i;
      continue;
    }
    int program_follows = 0;
    for (const char* flag = arg + 1; *flag != '\0'; ++flag) {
      if (*flag == 'E' || *flag == 'I') {
        use_environment = 0;
      } else if (*flag == 'c' || *flag == 'm') {
        program_follows = 1;
        break;
      } else if (*flag == 'X' || *flag == 'W') {
        const char* value = flag[1] != '\0' ? flag + 1
                            : i + 1 < argc  ? argv[++i]
                                            : "";
        if (*flag == 'X' && strncmp(value, "dev", 3) == 0 &&
            (value[3] == '\0' || value[3] == '=')) {
          dev_mode = strcmp(value, "dev=0") != 0;
        }
        break;
      }
    }
    if (program_follows) break;
  }
  const char* allocator = use_environment ? getenv("PYTHONMALLOC") : NULL;
  if (allocator != NULL && *allocator != '\0') {
    return strstr(allocator, "debug") != NULL;
  }
  const char* dev = use_environment ? getenv("PYTHONDEVMODE") : NULL;
  return dev_mode || (dev != NULL && *dev != '\0');
}

/* Ends the process as Python does after an unhandled KeyboardInterrupt. */
static void die_by_interrupt(void) {
  static const char kLine[] = "KeyboardInterrupt\n";
  fflush(NULL);
  if (write(STDERR_FILENO, kLine, sizeof(kLine) - 1) < 0) {
    /* nothing more to say */
  }
  signal(SIGINT, SIG_DFL);
  sigset_t interrupt;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  pthread_sigmask(SIG_UNBLOCK, &interrupt, NULL); /* a pending one ends us */
  raise(SIGINT);
  _exit(128 + SIGINT);
}

/* Runs the boot module; true when it was interrupted before SIGINT was
 * held back (Python had already seen the signal). */
static int run_boot_module(const char* event, PyObject* args) {
  PyObject* path = PySys_GetObject("path");
  PyObject* dir = PyUnicode_DecodeFSDefault(boot_dir);
  if (path == NULL || dir == NULL || PyList_Insert(path, 0, dir) != 0) {
    Py_DecRef(dir);
    PyErr_Clear();
    fprintf(stderr,
            "pyhooks: warning: cannot start the plugins (no sys.path)\n");
    return 0;
  }
  Py_DecRef(dir);
  /* _pyhooks_boot removes its directory from sys.path again. */
  PyObject* module = PyImport_ImportModule(kBootModule);
  PyObject* result =
      module ? PyObject_CallMethod(module, "start", "sO", event, args) : NULL;
  int interrupted = 0;
  if (result == NULL) {
    if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
      PyErr_Clear();
      interrupted = 1;
    } else {
      fprintf(stderr,
              "pyhooks: warning: the plugins could not be started (%s/%s.py "
              "failed; reinstall pyhooks):\n",
              boot_dir, kBootModule);
      PyErr_Print();
    }
  }
  Py_DecRef(result);
  Py_DecRef(module);
  return interrupted;
}

/* A Ctrl-C that is pending and that Python would act on (a SIGINT ignored
 * since before Python started stays ignored). */
static int interrupt_pending(void) {
  sigset_t pending;
  struct sigaction current;
  return sigpending(&pending) == 0 && sigismember(&pending, SIGINT) == 1 &&
         sigaction(SIGINT, NULL, &current) == 0 &&
         current.sa_handler != SIG_IGN;
}

static int start_hook(const char* event, PyObject* args, void* data) {
  (void)data;
  if (started || strncmp(event, "cpython.run_", 12) != 0 ||
      PyInterpreterState_Get() != PyInterpreterState_Main()) {
    return 0;
  }
  started = 1;
  sigset_t interrupt, previous;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  pthread_sigmask(SIG_BLOCK, &interrupt, &previous);
  if (run_boot_module(event, args) || interrupt_pending()) {
    die_by_interrupt();
  }
  pthread_sigmask(SIG_SETMASK, &previous, NULL);
  return 0;
}

int pyhooks_python_under_run(void) {
  return getenv(PYHOOKS_SPEC_VARIABLE) != NULL && PySys_AddAuditHook != NULL &&
         PyImport_ImportModule != NULL && PyInterpreterState_Main != NULL;
}

void pyhooks_register_start_hook(int argc, char** argv) {
  if (!pyhooks_python_under_run()) {
    return; /* not a Python process, or not under pyhooks run */
  }
  Dl_info self;
  if (dladdr((void*)&start_hook, &self) == 0 || self.dli_fname == NULL ||
      strlen(self.dli_fname) >= sizeof(boot_dir)) {
    return;
  }
  char library[PATH_MAX];
  strcpy(library, self.dli_fname);
  snprintf(boot_dir, sizeof(boot_dir), "%s", dirname(library));
  if (debug_allocator_ahead(argc, argv) && PyMem_SetupDebugHooks != NULL) {
    PyMem_SetupDebugHooks();
  }
  PySys_AddAuditHook(start_hook, NULL);
}
