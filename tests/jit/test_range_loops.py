"""`for k in range(...)` in compiled code, where the JIT runs a range loop in
chunks (docs/internals/jit.md, "Range loops"): lengths on both sides of a
chunk's size, negative and huge steps, ranges at the ends of the 64-bit
int range, `break` and `continue` at a chunk's edge, the loop variable
rebound in the body and read after the loop, an overflow in the body at
the first value past a chunk, short inner loops run many times, a step
known only at run time. Each against plain python: the same output and
exceptions, with every kernel compiled."""

import unittest

from jit_support import JitTest, plain, under_pyhooks

# A range loop whose body is too long to chunk (codegen.cc, kChunkedBody)
# takes the one-step path: the same edge ranges go through it too.
LONG_BODY = ("def long_body(start, stop, step):\n"
             "    t = 0\n"
             "    for k in range(start, stop, step):\n"
             + "".join("        t = (t + (k & 255) * %d) & 0xFFFFF\n" % c
                       for c in range(1, 40))
             + "    return t\n")

PROGRAM = r'''
def total(start, stop, step):
    t = 0
    count = 0
    for k in range(start, stop, step):
        t += k & 1023
        count += 1
    return t + count * 7


def last(n):
    k = -1
    for k in range(n):
        pass
    return k


def break_at(n, at):
    seen = 0
    k = -1
    for k in range(n):
        if k == at:
            break
        seen += 1
    return seen * 1000003 + k


def skip_odd(n):
    s = 0
    for k in range(n):
        if k & 1:
            continue
        s += k
    return s


def rebound(n):
    s = 0
    for k in range(n):
        s += k
        k = k * 3
        s -= k
    return s


def squares_from(start, n):
    s = 0
    for k in range(start, start + n):
        s += k * k
    return s


def odd_terms(n):
    s = 0.0
    sign = 1.0
    for k in range(n):
        s += sign / (2 * k + 1)
        sign = -sign
    return s


def odd_from(start, n):
    s = 0.0
    for k in range(start, start + n):
        s += 1.0 / (2 * k + 1)
    return s


def short_inner(n):
    s = 0
    for i in range(n):
        for j in range(3):
            s += i ^ j
    return s


def while_outer(n):
    s = 0
    i = 0
    while i < n:
        for j in range(i % 5):
            s += j
        i += 1
    return s


def stepped(n, step):
    s = 0
    for k in range(-n, n, step):
        s = s * 31 + k & 0xFFFFFF
    return s


def indexed_down(u):
    s = 0.0
    for i in range(len(u) - 1, -1, -1):
        if i < 0 or i >= len(u):
            s += 1000.0
        s += u[i] * i
    return s


def indexed_both_ends(u):
    s = 0.0
    for i in range(-len(u), len(u)):
        s += u[i] * (i + 0.5)
    return s


def pair_sums(n):
    s = 0
    for i in range(n):
        for j in range(n):
            s += (i + j) * (i + j + 1) // 2 + i % 4 - j // 8
    return s


def edges(n):
    c = 0
    for k in range(n):
        if k == 0:
            c += 1
        if k == n - 1:
            c += 10
        if k < 0 or k >= n:
            c += 100
    return c


def edges_down(n):
    c = 0
    for k in range(n, 0, -1):
        if k == n:
            c += 1
        if k == 1:
            c += 10
        if k > n or k <= 0:
            c += 100
    return c


def show(label, fn, *args):
    try:
        print(label, repr(fn(*args)))
    except Exception as error:
        print(label, type(error).__name__, error)


MAX = 2**63 - 1
MIN = -2**63
for n in [0, 1, 2, 4095, 4096, 4097, 8191, 8192, 8195, 12289]:
    show("total_up_%d" % n, total, 5, 5 + n, 1)
    show("total_down_%d" % n, total, n, -1, -1)
    show("last_%d" % n, last, n)
    show("odd_terms_%d" % n, odd_terms, n)
show("total_by_3", total, -10000, 10000, 3)
show("total_by_minus_7", total, 10000, -10000, -7)
show("total_huge_step", total, MIN, MAX, 2**62)
show("total_huge_down", total, MAX, MIN, -2**61)
show("total_step_max", total, 0, MAX, MAX)
show("total_step_min", total, MAX, MIN, MIN)
show("total_top", total, MAX - 9000, MAX, 1)
show("total_top_by_4", total, MAX - 20000, MAX, 4)
show("total_bottom", total, MIN, MIN + 9000, 1)
show("total_bottom_down", total, MIN + 9000, MIN, -1)
show("total_empty", total, 10, 0, 1)
show("total_empty_down", total, 0, 10, -1)
show("total_zero_step", total, 0, 10, 0)
for label, args in [("up", (5, 4101, 1)), ("down", (4100, -1, -1)),
                    ("top", (MAX - 9000, MAX, 1)),
                    ("bottom_down", (MIN + 9000, MIN, -1)),
                    ("huge_step", (MIN, MAX, 2**62)),
                    ("zero_step", (0, 10, 0))]:
    show("long_body_" + label, long_body, *args)
for at in [0, 1, 4095, 4096, 4097, 9000]:
    show("break_at_%d" % at, break_at, 9000, at)
show("skip_odd", skip_odd, 10001)
show("rebound", rebound, 5000)
show("squares_ok", squares_from, 3037000499 - 5000, 5000)
show("squares_overflow", squares_from, 3037000499 - 4096, 4100)
show("squares_overflow_late", squares_from, 3037000499 - 8191, 8200)
show("odd_from_ok", odd_from, 2**62 - 5000, 5000)
show("odd_from_overflow", odd_from, 2**62 - 5000, 5001)
show("odd_from_overflow_late", odd_from, 2**62 - 9000, 9001)
show("short_inner", short_inner, 5000)
show("while_outer", while_outer, 5000)
u = [k * 0.25 for k in range(5000)]
show("indexed_down", indexed_down, u)
show("indexed_both_ends", indexed_both_ends, u)
show("indexed_past_end", indexed_both_ends, [])
show("pair_sums", pair_sums, 300)
for n in [1, 2, 4096, 4097]:
    show("edges_%d" % n, edges, n)
    show("edges_down_%d" % n, edges_down, n)
for step in [1, 2, 5, 4096, -1, -3, 9999]:
    show("stepped_%d" % step, stepped, 10000, step)
'''

COMPILED = ["total", "last", "break_at", "skip_odd", "rebound",
            "squares_from", "odd_terms", "odd_from", "short_inner", "while_outer",
            "stepped", "indexed_down", "indexed_both_ends", "pair_sums", "edges", "edges_down",
            "long_body"]


class RangeLoops(JitTest):
    def test_range_loops_as_plain_python(self):
        script = self.write("ranges.py", LONG_BODY + PROGRAM)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        actual = under_pyhooks(script)
        self.assertSameLines(expected, actual)
        self.assertSameRun(expected, actual, "ranges")
        stats = self.assertRanCompiled(actual, "ranges")
        self.assertNoneDeclined(actual, COMPILED)
        # The overflows, and the zero step's ValueError, deopt.
        self.assertGreaterEqual(stats["deopts"], 5, actual.stderr[-3000:])


if __name__ == "__main__":
    unittest.main()
