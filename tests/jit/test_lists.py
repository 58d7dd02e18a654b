"""Lists and tuples in compiled code: element reads and stores by index,
`for x in` a list or tuple, unpacking (`x, y = point`), len, lists built
in the kernel, against plain python - the same output and
the same exceptions, with the kernels compiled (none of them in the stats'
decline list). The guards are exercised on purpose: an index out of range
(IndexError exactly, after the stores before it), a negative index, an
element of another type, a callee that stores into its caller's list, a
deopt after stores (the stores are undone before the interpreter reruns
the frame, so nothing is applied twice), aliasing lists."""

import unittest

from jit_support import JitTest, plain, under_pyhooks

PROGRAM = r'''
import math


def dot(u, v):
    total = 0.0
    for i in range(len(u)):
        total += u[i] * v[i]
    return total


def scale_into(u, out, a):
    for i in range(len(u)):
        out[i] = u[i] * a
    return len(out)


def made_inside(n):
    v = [0.0] * n
    w = n * [1]
    for i in range(n):
        v[i] = i * 0.5
        w[i] += i
    s = 0.0
    for i in range(len(v)):
        s += v[i] + w[i]
    return s


def literal_lists(x):
    p = [x, x * 2.0, -x]
    q = [1, 2] + [3, 4]
    return p[0] + p[1] + p[2] + p[-1] + q[3] + len(q)


def histogram(data, counts):
    for i in range(len(data)):
        counts[data[i] % len(counts)] += 1
    return counts[0]


def ends(u):
    return u[-1] - u[-len(u)] + u[len(u) - 1]


def read_past_end(u):
    total = 0.0
    for i in range(len(u) + 1):
        total += u[i]
    return total


def store_past_end(out):
    for i in range(len(out) + 1):
        out[i] = i * 1.0
    return 0


def add_then_overflow(u, x):
    for i in range(len(u)):
        u[i] += 1.0
    return x * x


def bump(u, i):
    u[i] = u[i] + 1.0
    return 0


def caller_sees_callee(u):
    s = 0.0
    for i in range(len(u)):
        bump(u, i)
        s += u[i]
    return s


def tuple_sum(t):
    s = 0.0
    for i in range(len(t)):
        s += t[i]
    return s + t[-1]


def int_tuple(t):
    return t[0] * t[1] - t[-1]


def repeat_counts(n):
    a = [2.5] * n
    return len(a) + len(a + a)


def bool_index(u):
    return u[True] + u[False]


def times(u, out):
    n = len(u)
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1) * u[j]
        out[i] = total
    return n


def axpy(a, x, y):
    for i in range(len(x)):
        y[i] += a * x[i]


def axpy_twice(a, x, y):
    axpy(a, x, y)
    axpy(a, y, x)
    return x[0] + y[0]


def sum_squares(xs):
    total = 0.0
    for x in xs:
        total += x * x
    return total


def first_over(xs, limit):
    count = 0
    for x in xs:
        if x > limit:
            return count
        if x < -limit:
            break
        count += 1
    return -count


def pair_products(xs, ys):
    total = 0
    for a in xs:
        for b in ys:
            total += a * b
    return total


def feed_forward(xs):
    # The iterator reads each item when it gets there: the stores ahead
    # of it are seen, as with CPython's list iterator.
    n = len(xs)
    i = 0
    for x in xs:
        if i + 1 < n:
            xs[i + 1] += x
        i += 1
    return xs[-1]


def iterate_made(n):
    v = [0.5] * n
    total = 0.0
    for x in v:
        total += x
    return total


def norm2(point):
    x, y = point
    return x * x + y * y


def weighted(xs):
    a, b, c = xs
    return a - 2 * b + 3 * c


def show(label, function, *args):
    try:
        result = repr(function(*args))
    except Exception as exc:
        result = "raised %s: %s" % (type(exc).__name__, exc)
    printable = [a if not isinstance(a, list) else list(a) for a in args]
    print(label, result, repr(printable))


for n in (0, 1, 5):
    u = [float(k) - 1.5 for k in range(n)]
    v = [0.25 * k for k in range(n)]
    show("dot", dot, u, v)
    out = [0.0] * n
    show("scale_into", scale_into, u, out, -2.0)
    show("made_inside", made_inside, n)
    show("repeat_counts", repeat_counts, n)
show("repeat_negative", repeat_counts, -3)
show("literal_lists", literal_lists, 1.5)
show("literal_lists_nan", literal_lists, float("nan"))
show("histogram", histogram, [3, 1, 4, 1, 5, 9, 2, 6, -5, 3], [0, 0, 0, 0])
show("ends", ends, [1.0, 2.0, 4.0])
show("ends_empty", ends, [])
show("read_past_end", read_past_end, [1.0, 2.0])
show("store_past_end", store_past_end, [9.0, 9.0, 9.0])
show("add_then_overflow_small", add_then_overflow, [1.0, 2.0], 3)
show("add_then_overflow", add_then_overflow, [1.0, 2.0, 3.0], 2**40)
show("add_then_overflow_again", add_then_overflow, [0.5], -2**40)
show("callee", caller_sees_callee, [1.0, 2.0, 3.0])
shared = [1.0, 0.5, 0.25]
show("alias", scale_into, shared, shared, 3.0)
show("times_alias", times, shared, shared)
show("tuple_sum", tuple_sum, (1.5, 2.5, -0.5))
show("int_tuple", int_tuple, (7, 6, 2))
show("int_tuple_big", int_tuple, (2**62, 4, 2))
show("bool_index", bool_index, [10.0, 20.0])
show("axpy", axpy, 2.0, [1.0, 2.0], [0.5, 0.25])
show("axpy_twice", axpy_twice, 0.5, [1.0, 2.0], [0.5, 0.25])
show("axpy_short", axpy, 2.0, [1.0, 2.0], [0.5])
show("sum_squares", sum_squares, [1.5, -2.0, 3.25])
show("sum_squares_empty", sum_squares, [])
show("sum_squares_tuple", sum_squares, (0.5, 4.0))
show("first_over", first_over, [1, 5, 2, 9, 4], 6)
show("first_over_break", first_over, [1, 2, -9, 20], 6)
show("first_over_none", first_over, [1, 2, 3], 6)
show("pair_products", pair_products, [1, -2, 3], (4, 5))
show("pair_products_big", pair_products, [2**40], [2**40])
show("feed_forward", feed_forward, [1.0, 2.0, 3.0, 4.0])
show("iterate_made", iterate_made, 7)
show("norm2", norm2, (3.0, 4.0))
show("norm2_list", norm2, [1.5, -2.0])
show("weighted", weighted, [1, 2, 3])
show("weighted_overflow", weighted, (2**62, 2**62, 0))
show("norm2_too_many", norm2, (1.0, 2.0, 3.0))
show("norm2_too_few", norm2, (1.0,))
show("norm2_str", norm2, [1.0, "x"])
show("norm2_mixed", norm2, (1, 2.0))
show("sum_squares_mixed", sum_squares, [1.0, 2, 3.0])
show("sum_squares_str", sum_squares, [1.0, "x"])
# Elements of other types: the interpreter decides (mixing, TypeError).
show("dot_mixed", dot, [1.0, 2, 3.0], [1.0, 1.0, 1.0])
show("dot_str", dot, [1.0, "x"], [1.0, 1.0])
show("dot_int_first", dot, [1, 2.5], [2.0, 2.0])
show("histogram_big", histogram, [2**70, 3], [0, 0])
show("scale_into_short_out", scale_into, [1.0, 2.0], [0.0], 2.0)
show("dot_float_index", ends, [1.5])
u = [1.0] * 30
out = [0.0] * 30
for _ in range(3):
    times(u, out)
    times(out, u)
print("times", repr(u[:3]), repr(out[-3:]))
'''

# Functions the JIT must compile for the signatures above (a decline of
# one of them would make its lines prove nothing).
COMPILED = ["dot", "scale_into", "made_inside", "literal_lists", "histogram",
            "ends", "read_past_end", "store_past_end", "add_then_overflow",
            "caller_sees_callee", "tuple_sum", "int_tuple", "repeat_counts",
            "bool_index", "times", "axpy", "axpy_twice", "sum_squares",
            "first_over", "pair_products", "feed_forward", "iterate_made",
            "norm2", "weighted"]


class Lists(JitTest):
    def test_lists_and_tuples_as_plain_python(self):
        script = self.write("lists.py", PROGRAM)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        actual = under_pyhooks(script)
        self.assertSameLines(expected, actual)
        self.assertSameRun(expected, actual, "lists")
        stats = self.assertRanCompiled(actual, "lists")
        self.assertNoneDeclined(actual, COMPILED)
        # The guards were hit: out of range, other element types, overflow.
        self.assertGreater(stats["deopts"], 5, actual.stderr[-3000:])


if __name__ == "__main__":
    unittest.main()
