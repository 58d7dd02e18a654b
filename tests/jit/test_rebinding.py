"""Never stale code: after a function has been compiled and run compiled,
replacing its __code__, rebinding a global it reads (a constant or a
function it calls), or shadowing a builtin it calls (in the module or in
builtins) makes the next calls follow the new binding, as under plain
python."""

import unittest

from jit_support import JitTest, plain, under_pyhooks

PROGRAM = r'''
import builtins
import math

SCALE = 3


def helper(x):
    return x + 1


def scaled(n):
    total = 0
    for i in range(n):
        total += helper(i) * SCALE
    return total


def absolute(x):
    return abs(x) + math.sqrt(4.0)


def first(n):
    return n * 2


def second(n):
    return n * 2 + 1000


def warm(function, *args):
    for _ in range(200):
        function(*args)
    return function(*args)


print("code before", warm(first, 21))
first.__code__ = second.__code__
print("code after", first(21), warm(first, 21))

print("global before", warm(scaled, 10))
SCALE = 2.5
print("global constant after", scaled(10), warm(scaled, 10))
SCALE = 3


def other_helper(x):
    return x - 1


helper = other_helper
print("global function after", scaled(10), warm(scaled, 10))

print("builtin before", warm(absolute, -4.0))
abs = lambda x: 100.0
print("module shadows builtin", absolute(-4.0), warm(absolute, -4.0))
del abs
print("shadow removed", absolute(-4.0), warm(absolute, -4.0))
real_abs = builtins.abs
builtins.abs = lambda x: -1.0
print("builtins rebound", absolute(-4.0), warm(absolute, -4.0))
builtins.abs = real_abs
print("builtins restored", absolute(-4.0), warm(absolute, -4.0))
math.sqrt = lambda x: 7.0
print("module attribute rebound", absolute(-4.0), warm(absolute, -4.0))
'''


class Rebinding(JitTest):
    def test_results_follow_the_new_binding(self):
        script = self.write("rebinding.py", PROGRAM)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        # The program's own prints show each binding took effect under
        # plain python; the JIT run must print the same.
        self.assertIn("code after 1042 1042", expected.stdout)
        self.assertIn("module shadows builtin 102.0 102.0", expected.stdout)
        self.assertIn("builtins rebound 1.0 1.0", expected.stdout)
        self.assertIn("module attribute rebound 11.0 11.0", expected.stdout)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "rebinding")
        self.assertRanCompiled(actual, "rebinding")


if __name__ == "__main__":
    unittest.main()
