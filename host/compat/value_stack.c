/* host/compat/value_stack.c - value_stack.h: matching an instruction's
 * operands in the caller's value stack, the same on every minor. */
#include "value_stack.h"

/* Can `code` be called with `count` arguments (positional or keyword)? */
static int accepts(PyCodeObject* code, int count) {
  if (code->co_flags & (CO_VARARGS | CO_VARKEYWORDS)) {
    return 1;
  }
  return count <= code->co_argcount + code->co_kwonlyargcount;
}

/* Does the argument at `at` match the callee's first local? A function
 * whose parameters are all *args has no first argument to compare. */
static int first_argument_matches(const phc_value_stack* stack, int at,
                                  int count, const phc_callee* callee) {
  if (count == 0 ||
      callee->code->co_argcount + callee->code->co_kwonlyargcount == 0) {
    return 1;
  }
  return stack->slots[at] != NULL && stack->slots[at] == callee->locals[0];
}

static int call_at(const phc_value_stack* stack,
                   phc_null_position null_position, int oparg, int trailing,
                   const phc_callee* callee, int at) {
  int size = stack->size;
  PyObject* const* slots = stack->slots;
  /* [function, self, args]: self is the first of oparg + 1 arguments. */
  if (at + 2 + oparg + trailing <= size && slots[at + 1] != NULL &&
      accepts(callee->code, oparg + 1) &&
      first_argument_matches(stack, at + 1, oparg + 1, callee)) {
    return 1;
  }
  /* [NULL, function, args] or [function, NULL, args]. */
  int null_at = null_position == PHC_NULL_BEFORE_CALLABLE ? at - 1 : at + 1;
  int args_at = null_position == PHC_NULL_BEFORE_CALLABLE ? at + 1 : at + 2;
  return null_at >= 0 && args_at + oparg + trailing <= size &&
         slots[null_at] == NULL && accepts(callee->code, oparg) &&
         first_argument_matches(stack, args_at, oparg, callee);
}

int phc_stack_holds_call(const phc_value_stack* stack,
                         phc_null_position null_position, int oparg,
                         int trailing, const phc_callee* callee) {
  for (int at = 0; at < stack->size; at++) {
    if (stack->slots[at] == callee->function &&
        call_at(stack, null_position, oparg, trailing, callee, at)) {
      return 1;
    }
  }
  return 0;
}

int phc_stack_holds_call_ex(const phc_value_stack* stack,
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

int phc_stack_holds(const phc_value_stack* stack, PyObject* object) {
  for (int at = 0; at < stack->size; at++) {
    if (stack->slots[at] == object) {
      return 1;
    }
  }
  return 0;
}

int phc_stack_holds_pair(const phc_value_stack* stack, PyObject* first,
                         PyObject* second) {
  for (int at = 0; at + 1 < stack->size; at++) {
    if (stack->slots[at] == first && stack->slots[at + 1] == second) {
      return 1;
    }
  }
  return 0;
}

int phc_code_is_simple(PyCodeObject* code, int count) {
  return !(code->co_flags & (CO_VARARGS | CO_VARKEYWORDS)) &&
         code->co_kwonlyargcount == 0 && code->co_argcount == count;
}
