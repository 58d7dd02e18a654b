"""What the JIT declines and when (docs/jit.md, "What compiles"): with its
defaults it compiles only what pays - a function that loops, recurses or
calls compiled functions - and leaves a leaf (no loop, no call of a
compiled function) to the interpreter, whose own call of it is cheaper
than entering compiled code; an argument outside the subset at a
function's first call declines it before its bytecode is read; and a
program where nothing is worth compiling never loads LLVM. The output is
plain python's in every case."""

import re
import unittest

from jit_support import JitTest, jit_stats, plain, under_pyhooks

DEFAULTS = {"threshold": None, "leaves": None}

# Prints to stderr: plain python never loads it, so stdout stays equal.
LLVM_PROBE = r'''
import sys


def report_llvm():
    with open("/proc/self/maps") as maps:
        loaded = any("pyhooks_jit_llvm" in line for line in maps)
    print("llvm", loaded, file=sys.stderr)
'''

LEAVES = LLVM_PROBE + r'''
import math


def add(a, b):
    return a + b


def hypot(a, b):
    return math.sqrt(a * a + b * b)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm(self):
        return hypot(self.x, self.y)


total = 0.0
for i in range(3000):
    total = add(total, Point(i, 2.5).norm())
print(round(total, 6))
report_llvm()
'''

PAYING = LLVM_PROBE + r'''
def square(x):
    return x * x


def sum_squares(n):
    total = 0
    for i in range(n):
        total += square(i)
    return total


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


results = [sum_squares(k) for k in range(50)]
print(sum(results), fib(18), square(7), [square(k) for k in range(5)])
report_llvm()
'''

FIRST_CALL = r'''
def twice(x):
    total = x
    for _ in range(1):
        total = total + x
    return total


print(twice("ab"), [twice(k) for k in range(300)][-1], twice(2.5))
'''


def declines(stderr):
    """{function name: reason} from the stats report."""
    return dict(re.findall(r"^pyhooks jit: declined (\S+) \(.*?\): (.*)$",
                           stderr, re.M))


class DeclinedCode(JitTest):
    def run_both(self, name, source, options):
        script = self.write(name, source)
        expected = plain(script)
        actual = under_pyhooks(script, options=options)
        return expected, actual

    def test_leaves_stay_interpreted_and_llvm_is_not_loaded(self):
        expected, actual = self.run_both("leaves.py", LEAVES, DEFAULTS)
        self.assertSameRun(expected, actual, "leaves")
        self.assertIn("llvm False", actual.stderr)
        stats = jit_stats(actual.stderr)
        self.assertIsNotNone(stats, actual.stderr[-2000:])
        self.assertEqual(stats["compiled"], 0, actual.stderr[-2000:])
        self.assertEqual(stats["native"], 0, actual.stderr[-2000:])
        reasons = declines(actual.stderr)
        # add: no call and no loop, known from its bytecode; hypot: its
        # only call is math.sqrt, known once its unit is inferred.
        for leaf in ("add", "hypot"):
            self.assertIn(leaf, reasons, actual.stderr[-3000:])
            self.assertIn("neither loops nor calls", reasons[leaf])
        self.assertIn("Point.norm", reasons, actual.stderr[-3000:])
        self.assertIn("at its first call", reasons["Point.norm"])

    def test_leaves_option_compiles_them(self):
        expected, actual = self.run_both(
            "leaves.py", LEAVES, {"threshold": None, "leaves": True})
        self.assertSameRun(expected, actual, "leaves=true")
        self.assertIn("llvm True", actual.stderr)
        self.assertRanCompiled(actual, "leaves=true")
        self.assertNotIn("add", declines(actual.stderr))

    def test_loops_recursion_and_their_leaves_compile(self):
        expected, actual = self.run_both("paying.py", PAYING, DEFAULTS)
        self.assertSameRun(expected, actual, "paying")
        self.assertIn("llvm True", actual.stderr)
        stats = self.assertRanCompiled(actual, "paying")
        reasons = declines(actual.stderr)
        self.assertNotIn("sum_squares", reasons, actual.stderr[-3000:])
        self.assertNotIn("fib", reasons, actual.stderr[-3000:])
        # square is compiled inside sum_squares' unit (never on its own).
        self.assertGreaterEqual(stats["compiled"], 2)

    def test_argument_type_at_the_first_call(self):
        expected, actual = self.run_both("first.py", FIRST_CALL, DEFAULTS)
        self.assertSameRun(expected, actual, "first call")
        reasons = declines(actual.stderr)
        self.assertIn("twice", reasons, actual.stderr[-3000:])
        self.assertIn("argument 'x' is a str at its first call",
                      reasons["twice"])
        self.assertEqual(jit_stats(actual.stderr)["compiled"], 0)


if __name__ == "__main__":
    unittest.main()
