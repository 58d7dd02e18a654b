/* host/runtime/checks.h - invariant checks in two tiers (C and C++).
 *
 * PYHOOKS_CHECK(cond, what): always on, for invariants whose breach the host
 * can survive and that cost a compare or two. It evaluates to true when
 * `cond` holds; otherwise the first breach at that line is reported as one
 * line on stderr (naming the site and `what`), and it evaluates to false so
 * that the caller recovers as the failure policy says: keep the user's
 * program running, drop what cannot be trusted. Use as
 *     if (!PYHOOKS_CHECK(depth == open.size(), "stale shadow entries")) ...
 *
 * PYHOOKS_DCHECK(cond): debug tier, for invariants that are too costly to
 * test per event or that no caller could recover from. Compiled in when the
 * build defines PYHOOKS_DEBUG_CHECKS (CMake's PYHOOKS_DEBUG_CHECKS option, on
 * by default in sanitizer builds: tools/test-all.sh asan), where a breach
 * prints the site and aborts; otherwise `cond` is type-checked, never run.
 *
 * The pattern is SQLite's ALWAYS/NEVER and CinderX's JIT_CHECK/JIT_DCHECK.
 * docs/internals/checks.md lists where each is applied. */
#ifndef PYHOOKS_HOST_RUNTIME_CHECKS_H
#define PYHOOKS_HOST_RUNTIME_CHECKS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Reports a failed PYHOOKS_CHECK once per site; returns 0. Cold. */
int pyhooks_check_failed(const char* file, int line, const char* condition,
                         const char* what) __attribute__((cold, noinline));
/* Reports a failed PYHOOKS_DCHECK and aborts. */
void pyhooks_dcheck_failed(const char* file, int line, const char* condition)
    __attribute__((cold, noreturn));

#ifdef __cplusplus
}
#endif

#define PYHOOKS_CHECK(cond, what) \
  (__builtin_expect(!!(cond), 1)  \
       ? 1                        \
       : pyhooks_check_failed(__FILE__, __LINE__, #cond, (what)))

#ifdef PYHOOKS_DEBUG_CHECKS
#define PYHOOKS_DCHECK(cond)     \
  (__builtin_expect(!!(cond), 1) \
       ? (void)0                 \
       : pyhooks_dcheck_failed(__FILE__, __LINE__, #cond))
#else
#define PYHOOKS_DCHECK(cond) ((void)sizeof(!(cond)))
#endif

#endif /* PYHOOKS_HOST_RUNTIME_CHECKS_H */
