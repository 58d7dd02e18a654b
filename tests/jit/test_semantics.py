"""Directed semantics table: every arithmetic operator, comparison, unary
operator and builtin of the subset on every pair of edge values (the
64-bit boundaries, products that overflow, zero divisors, negative
operands, -0.0, inf, nan, subnormals, bools), compiled, against plain
python: the same repr or the same exception type and message. Where the
generated programs sample, this covers each case once on purpose. Also
compiled recursion at and around the recursion limit."""

import unittest

from jit_support import JitTest, plain, under_pyhooks

PROGRAM = r'''
import math

INTS = [0, 1, -1, 2, 7, -7, 3037000499, 3037000500, 2**62, 2**63 - 1, -2**63,
        True]
FLOATS = [0.0, -0.0, 1.5, -2.5, 1e308, 5e-324, float("inf"), float("-inf"),
          float("nan"), 9.223372036854776e18]
VALUES = INTS + FLOATS
EXPONENTS = [0, 1, 2, 3, 63, 64, -1, -2, 0.5, -0.5, 2.0, True]

# The binary operators are written once here and instantiated once per left
# operand (a fresh code object per row, `row_<op>_<index>`), so that the
# JIT's per-function deopt limit never turns a row's later cases into
# interpreted ones: each case runs compiled unless it deopts itself.
BINARY = """
def op_add(a, b): return a + b
def op_sub(a, b): return a - b
def op_mul(a, b): return a * b
def op_truediv(a, b): return a / b
def op_floordiv(a, b): return a // b
def op_mod(a, b): return a % b
def op_pow(a, b): return a ** b
def op_lt(a, b): return a < b
def op_le(a, b): return a <= b
def op_eq(a, b): return a == b
def op_ne(a, b): return a != b
def op_chain(a, b): return a < b <= 7
def op_and(a, b): return a and b
def op_or(a, b): return a or b
def op_min(a, b): return min(a, b)
def op_max(a, b): return max(a, b)
def op_round2(a, b): return round(a, 2) if b else round(a)
def op_augmented(a, b):
    x = a
    x += b
    x *= b
    x -= a
    return x
"""

def un_neg(a): return -a
def un_pos(a): return +a
def un_not(a): return not a
def un_abs(a): return abs(a)
def un_int(a): return int(a)
def un_float(a): return float(a)
def un_bool(a): return bool(a)
def un_round(a): return round(a)
def un_floor(a): return math.floor(a)
def un_ceil(a): return math.ceil(a)
def un_sqrt(a): return math.sqrt(a)
def un_exp(a): return math.exp(a)
def un_log(a): return math.log(a)
def un_sin(a): return math.sin(a)
def un_fabs(a): return math.fabs(a)
def un_half(a): return a // 2
def un_mod8(a): return a % 8
def un_quarter_big(a): return a // 2**62
def un_mod_big(a): return a % 2**62
def un_mod_minus8(a): return a % -8
def un_branch(a):
    if a:
        return 1
    elif a == 0:
        return 2
    return 3

def show(function, args):
    for _ in range(2):
        try:
            result = repr(function(*args))
        except Exception as exc:
            result = "raised %s: %s" % (type(exc).__name__, exc)
    print(function.__name__, repr(args), result)



def row(index):
    namespace = {"math": math}
    exec(compile(BINARY, "<row %d>" % index, "exec"), namespace)
    return {name: f for name, f in namespace.items() if name.startswith("op_")}

for index, a in enumerate(VALUES):
    for name, function in row(index).items():
        for b in (EXPONENTS if name == "op_pow" else VALUES):
            show(function, (a, b))
for name, function in list(globals().items()):
    if name.startswith("un_"):
        for a in VALUES:
            show(function, (a,))
'''


# Compiled recursion deopts before the recursion limit (or the JIT's C-stack
# cap) would be passed, and the interpreter then raises the exact
# RecursionError: every depth around three limits, self- and mutual
# recursion, each case on fresh code objects (the per-function deopt limit
# would otherwise send later cases to the interpreter), then recursion far
# deeper than the native cap under a raised limit.
RECURSION = r'''
import sys

SOURCE = """
def down(n):
    if n <= 0:
        return 0
    return down(n - 1) + 1

def ping(n):
    if n <= 0:
        return 0.5
    return pong(n - 1) * 1.0

def pong(n):
    return ping(n) + 1.0
"""


def fresh(tag):
    namespace = {}
    exec(compile(SOURCE, "<%s>" % tag, "exec"), namespace)
    return namespace


def show(label, function, n):
    for _ in range(2):
        try:
            result = repr(function(n))
        except RecursionError as exc:
            result = "raised RecursionError: %s" % exc
    print(label, n, result)


for limit in (50, 300, 2000):
    sys.setrecursionlimit(limit)
    for n in list(range(limit - 12, limit + 3)) + [3 * limit]:
        functions = fresh("%d_%d" % (limit, n))
        show("down", functions["down"], n)
        show("ping", functions["ping"], n // 2)
sys.setrecursionlimit(200000)
functions = fresh("deep")
for n in (10000, 60000):
    show("down", functions["down"], n)
'''


class Semantics(JitTest):
    def test_operators_on_edge_values(self):
        script = self.write("semantics.py", PROGRAM)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        actual = under_pyhooks(script)
        self.assertSameLines(expected, actual)
        self.assertSameRun(expected, actual, "semantics")
        self.assertRanCompiled(actual, "semantics")

    def test_recursion_limits(self):
        script = self.write("recursion.py", RECURSION)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        self.assertIn("raised RecursionError", expected.stdout)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "recursion limits")
        self.assertRanCompiled(actual, "recursion limits")


if __name__ == "__main__":
    unittest.main()
