/* host/compat/value_stack.h - recognising, in the caller's value stack, the
 * operands of the instruction that is starting a frame.
 *
 * Used by py312.c and py313.c to decide whether plain CPython would have
 * pushed a frame inline (no C recursion charged) or entered its evaluator
 * from C (charged): docs/internals/compat.md, "Recursion accounting". The
 * caller's stack pointer is not stored while it executes an instruction, so
 * these functions look at every slot of its value stack; they compare
 * pointers only and never dereference a slot other than the ones they match.
 * Version independent: each minor passes its own layout. Header-only so
 * that the compiler inlines it into the hook's path.
 *
 * phc_stack_find_call: the slot of a CALL of `callee->function` with `oparg`
 * arguments (plus `trailing` slots above them, e.g. CALL_KW's kwnames), laid
 * out [NULL, function, args] / [function, NULL, args], or [function, self,
 *   args] for a method or an unpacked bound method; the first argument must
 *   be the callee's first local, and the count must fit its signature;
 *   phc_stack_call_matches_at: the same test at one given slot.
 * phc_stack_holds_call_ex: a CALL_FUNCTION_EX of `callee->function`,
 *   [NULL, function, args tuple(, kwargs)] or [function, NULL, args tuple(,
 *   kwargs)].
 * phc_stack_holds / phc_stack_holds_pair: an object in a slot, two objects
 *   in adjacent slots.
 * phc_code_is_simple: exactly `count` positional parameters and nothing
 *   else, what CPython requires of a __getitem__ or a property getter
 *   before it pushes that frame inline.
 */
#ifndef PYHOOKS_HOST_COMPAT_VALUE_STACK_H
#define PYHOOKS_HOST_COMPAT_VALUE_STACK_H

#include <Python.h>

typedef struct phc_value_stack {
  PyObject* const* slots; /* the caller's value stack (above its locals) */
  int size;               /* its capacity, co_stacksize */
} phc_value_stack;

/* Where a CALL keeps the NULL that marks "no self": before the callable
 * (3.12: NULL, callable, args) or after it (3.13: callable, NULL, args). */
typedef enum phc_null_position {
  PHC_NULL_BEFORE_CALLABLE = 0,
  PHC_NULL_AFTER_CALLABLE = 1
} phc_null_position;

/* The frame being started, as the stack match needs it. */
typedef struct phc_callee {
  PyObject* function;      /* the frame's function object */
  PyCodeObject* code;      /* its code */
  PyObject* const* locals; /* its localsplus: the arguments, not yet cells */
} phc_callee;

/* ---- matching (inline: called for every hooked frame) ---------------- */

#define PHC_VS_INLINE static inline __attribute__((always_inline))

/* Can `code` be called with `count` arguments (positional or keyword)? */
PHC_VS_INLINE int phc_vs_accepts(PyCodeObject* code, int count) {
  if (code->co_flags & (CO_VARARGS | CO_VARKEYWORDS)) {
    return 1;
  }
  return count <= code->co_argcount + code->co_kwonlyargcount;
}

/* Does the argument at `at` match the callee's first local? A function
 * whose parameters are all *args has no first argument to compare. */
PHC_VS_INLINE int phc_vs_first_argument_matches(const phc_value_stack* stack,
                                                int at, int count,
                                                const phc_callee* callee) {
  if (count == 0 ||
      callee->code->co_argcount + callee->code->co_kwonlyargcount == 0) {
    return 1;
  }
  return stack->slots[at] != NULL && stack->slots[at] == callee->locals[0];
}

PHC_VS_INLINE int phc_vs_call_at(const phc_value_stack* stack,
                                 phc_null_position null_position, int oparg,
                                 int trailing, const phc_callee* callee,
                                 int at) {
  /* The NULL's slot tells the layouts apart: [NULL, function, args] or
   * [function, NULL, args] with oparg arguments, else [function, self,
   * args] with self as the first of oparg + 1. */
  int null_at = null_position == PHC_NULL_BEFORE_CALLABLE ? at - 1 : at + 1;
  int args_at = at + 1;
  int count = oparg + 1;
  if (null_at >= 0 && null_at < stack->size && stack->slots[null_at] == NULL) {
    args_at = null_position == PHC_NULL_BEFORE_CALLABLE ? at + 1 : at + 2;
    count = oparg;
  }
  return args_at + count + trailing <= stack->size &&
         phc_vs_accepts(callee->code, count) &&
         phc_vs_first_argument_matches(stack, args_at, count, callee);
}

/* The first slot at which the call matches, or -1. */
static inline int phc_stack_find_call(const phc_value_stack* stack,
                                      phc_null_position null_position,
                                      int oparg, int trailing,
                                      const phc_callee* callee) {
  for (int at = 0; at < stack->size; at++) {
    if (stack->slots[at] == callee->function &&
        phc_vs_call_at(stack, null_position, oparg, trailing, callee, at)) {
      return at;
    }
  }
  return -1;
}

/* phc_stack_find_call's predicate at one slot `at` (any int). */
PHC_VS_INLINE int phc_stack_call_matches_at(const phc_value_stack* stack,
                                            phc_null_position null_position,
                                            int oparg, int trailing,
                                            const phc_callee* callee, int at) {
  return at >= 0 && at < stack->size && stack->slots[at] == callee->function &&
         phc_vs_call_at(stack, null_position, oparg, trailing, callee, at);
}

static inline int phc_stack_holds_call_ex(const phc_value_stack* stack,
                                          phc_null_position null_position,
                                          const phc_callee* callee) {
  /* [NULL, function, args(, kwargs)] or [function, NULL, args(, kwargs)].
   * The argument tuple is not read: a slot above the live part of the
   * stack may point to a freed object. */
  PyObject* const* slots = stack->slots;
  for (int at = 0; at < stack->size; at++) {
    if (slots[at] != callee->function) {
      continue;
    }
    int null_at = null_position == PHC_NULL_BEFORE_CALLABLE ? at - 1 : at + 1;
    int args_at = null_position == PHC_NULL_BEFORE_CALLABLE ? at + 1 : at + 2;
    if (null_at >= 0 && args_at < stack->size && slots[null_at] == NULL &&
        slots[args_at] != NULL) {
      return 1;
    }
  }
  return 0;
}

static inline int phc_stack_holds(const phc_value_stack* stack,
                                  PyObject* object) {
  for (int at = 0; at < stack->size; at++) {
    if (stack->slots[at] == object) {
      return 1;
    }
  }
  return 0;
}

static inline int phc_stack_holds_pair(const phc_value_stack* stack,
                                       PyObject* first, PyObject* second) {
  for (int at = 0; at + 1 < stack->size; at++) {
    if (stack->slots[at] == first && stack->slots[at + 1] == second) {
      return 1;
    }
  }
  return 0;
}

static inline int phc_code_is_simple(PyCodeObject* code, int count) {
  return !(code->co_flags & (CO_VARARGS | CO_VARKEYWORDS)) &&
         code->co_kwonlyargcount == 0 && code->co_argcount == count;
}

#endif /* PYHOOKS_HOST_COMPAT_VALUE_STACK_H */
