/* host/compat/value_stack.h - recognising, in the caller's value stack, the
 * operands of the instruction that is starting a frame.
 *
 * Used by py312.c and py313.c to decide whether plain CPython would have
 * pushed a frame inline (no C recursion charged) or entered its evaluator
 * from C (charged): docs/internals/compat.md, "Recursion accounting". The
 * caller's stack pointer is not stored while it executes an instruction, so
 * these functions look at every slot of its value stack; they compare
 * pointers only and never dereference a slot other than the ones they match.
 * Version independent: each minor passes its own layout.
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

/* Non-zero if the stack holds a CALL of `callee->function` with `oparg`
 * arguments (plus `trailing` slots above them, e.g. CALL_KW's kwnames), as
 * CPython lays it out: [NULL, function, args] / [function, NULL, args], or
 * [function, self, args] for a method or an unpacked bound method. The first
 * argument must be the callee's first local, and the count must fit its
 * signature. */
int phc_stack_holds_call(const phc_value_stack* stack,
                         phc_null_position null_position, int oparg,
                         int trailing, const phc_callee* callee);

/* Non-zero if the stack holds a CALL_FUNCTION_EX of `callee->function`:
 * [NULL, function, args tuple(, kwargs)] or [function, NULL, args tuple(,
 * kwargs)] by `null_position`. */
int phc_stack_holds_call_ex(const phc_value_stack* stack,
                            phc_null_position null_position,
                            const phc_callee* callee);

/* Non-zero if `object` is in one of the stack's slots. */
int phc_stack_holds(const phc_value_stack* stack, PyObject* object);

/* Non-zero if `first` and `second` are in two adjacent slots. */
int phc_stack_holds_pair(const phc_value_stack* stack, PyObject* first,
                         PyObject* second);

/* Non-zero if `code` takes exactly `count` positional parameters and nothing
 * else (no *args, **kwargs or keyword-only ones): what CPython requires of a
 * __getitem__ or a property getter before it pushes that frame inline. */
int phc_code_is_simple(PyCodeObject* code, int count);

#endif /* PYHOOKS_HOST_COMPAT_VALUE_STACK_H */
