/* cli/boot/main_stack.c - deep-recursion room for the main thread without
 * changing the limits the program and its children see.
 *
 * Under the eval-frame hook every Python call is also a C call, so a program
 * that raises sys.setrecursionlimit needs far more main-thread stack than
 * the usual 8 MiB. The launcher raises the soft RLIMIT_STACK before exec
 * (which also makes the kernel leave that much room below the stack). Here,
 * still under the raised limit, the stack mapping is grown once to its full
 * size by writing one byte at its lowest address (through getrandom(), so a
 * refusal is an error code, never a signal); the pages in between stay
 * untouched and cost no memory until used. Then the inherited soft limit is
 * restored: a mapping that exists keeps its size, so the main thread keeps
 * its room while getrlimit(), every child and every new thread see what
 * they would under python. glibc took its default thread stack size from
 * the raised limit at start-up; it is set back too.
 *
 * A child Python under pyhooks run (the run spec inherited, no raised limit)
 * has less room below its stack, the kernel's minimum gap of 128 MiB or
 * more: its mapping is grown into that room the same way, the soft limit
 * raised only for that moment.
 *
 * The host's C stack guard (host/runtime/stack_guard.cc) reads the main
 * thread's bound from the mapping, not from the (restored) limit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "boot.h"

/* The kernel keeps this much unmapped below a stack (stack_guard_gap, 256
 * pages by default); the stack is never grown closer to the mapping below. */
static const uintptr_t kGuardMargin = (uintptr_t)2 << 20;
/* What a child grows to at most (the launcher's own target). */
static const rlim_t kChildStack = (rlim_t)1 << 30;

/* The mapping of /proc/self/maps that holds `address`, and the end of the
 * mapping below it. */
static int find_mapping(uintptr_t address, uintptr_t* start, uintptr_t* end,
                        uintptr_t* below_end) {
  FILE* maps = fopen("/proc/self/maps", "re");
  if (maps == NULL) return 0;
  char line[512];
  uintptr_t previous_end = 0;
  int found = 0;
  while (fgets(line, sizeof(line), maps) != NULL) {
    unsigned long low = 0, high = 0;
    if (sscanf(line, "%lx-%lx", &low, &high) != 2) continue;
    if (low <= address && address < high) {
      *start = low;
      *end = high;
      *below_end = previous_end;
      found = 1;
      break;
    }
    previous_end = high;
  }
  fclose(maps);
  return found;
}

/* Grows the stack mapping holding this frame down to `size` bytes (or as far
 * as the mappings below, the address-space limit and the kernel allow). */
static void grow_stack_mapping(uintptr_t size) {
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  uintptr_t start = 0, end = 0, below_end = 0;
  if (!find_mapping(here, &start, &end, &below_end)) return;
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t floor = below_end + kGuardMargin;
  if (floor >= end) return;
  if (size > end - floor) size = end - floor;
  for (; size > end - start; size /= 2) {
    uintptr_t lowest = (end - size + page - 1) & ~(page - 1);
    if (lowest >= start) return;
    unsigned char* byte = (unsigned char*)lowest;
    if (getrandom(byte, 1, 0) == 1) return;
  }
}

/* The size to grow to under a soft limit of `limit`: at most a quarter of a
 * finite RLIMIT_AS (`ulimit -v`), so the program keeps most of it. */
static uintptr_t wanted_size(rlim_t limit) {
  uintptr_t size = (uintptr_t)limit;
  struct rlimit address_space;
  if (getrlimit(RLIMIT_AS, &address_space) == 0 &&
      address_space.rlim_cur != RLIM_INFINITY &&
      size > address_space.rlim_cur / 4) {
    size = (uintptr_t)(address_space.rlim_cur / 4);
  }
  return size;
}

/* A child Python under pyhooks run: it was exec'd under its parent's
 * (restored) limit, so the room below its stack is the kernel's minimum
 * gap (128 MiB or more). Raise the soft limit just long enough to grow the
 * mapping into that room, then put it back: glibc's default thread stack
 * size, read at start-up, is untouched. */
static void grow_child_stack(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return;
  }
  rlim_t inherited = limit.rlim_cur;
  rlim_t raised = kChildStack;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < raised) {
    raised = limit.rlim_max;
  }
  if (raised <= inherited) return;
  limit.rlim_cur = raised;
  if (setrlimit(RLIMIT_STACK, &limit) != 0) return;
  grow_stack_mapping(wanted_size(raised));
  limit.rlim_cur = inherited;
  setrlimit(RLIMIT_STACK, &limit);
}

static int parse_limit(const char* text, rlim_t* value) {
  char* rest = NULL;
  errno = 0;
  unsigned long long number = strtoull(text, &rest, 10);
  if (errno != 0 || rest == text || *rest != '\0') return 0;
  *value = (rlim_t)number;
  return 1;
}

static void set_default_thread_stack(rlim_t limit) {
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t size = ((size_t)limit + page - 1) & ~(page - 1);
  if (size < (size_t)PTHREAD_STACK_MIN) size = (size_t)PTHREAD_STACK_MIN;
  pthread_attr_t attributes;
  if (pthread_attr_init(&attributes) != 0) return;
  if (pthread_attr_setstacksize(&attributes, size) == 0) {
    pthread_setattr_default_np(&attributes);
  }
  pthread_attr_destroy(&attributes);
}

void pyhooks_settle_main_stack(int python_under_run) {
  const char* text = getenv(PYHOOKS_STACK_VARIABLE);
  if (text == NULL) {
    if (python_under_run) grow_child_stack();
    return;
  }
  rlim_t inherited = 0;
  int valid = parse_limit(text, &inherited);
  unsetenv(PYHOOKS_STACK_VARIABLE);
  struct rlimit limit;
  if (!valid || getrlimit(RLIMIT_STACK, &limit) != 0 ||
      limit.rlim_cur == RLIM_INFINITY || inherited >= limit.rlim_cur) {
    return;
  }
  grow_stack_mapping(wanted_size(limit.rlim_cur));
  limit.rlim_cur = inherited;
  setrlimit(RLIMIT_STACK, &limit);
  set_default_thread_stack(inherited);
}
