"""Compiled code called from several threads at once gives each thread the
results plain python gives; and many compiled calls (results of every
kind, exceptions and deopts among them, lists made, stored into and
undone) leave nothing behind: the
arguments' reference counts and the interpreter's allocated blocks stay
where they were.

Not here: sys.gettotalrefcount on python3.11-dbg. The JIT is not built for
debug interpreters (plugins/jit/CMakeLists.txt skips the "d" ABIs), and
the per-interpreter tests do not run on them (PYHOOKS_DEBUG_INTERPRETERS
get tests/leaks only)."""

import unittest

from jit_support import JitTest, plain, under_pyhooks

THREADS = r'''
import threading

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def mixed(n, x):
    total = 0.0
    for i in range(n):
        if i % 3 == 0:
            total += x / (i + 1)
        else:
            total -= i * x
    return total

def worker(index, out):
    results = []
    for round in range(60):
        results.append(fib(12 + index % 5))
        results.append(mixed(50 + index, 0.5 * index - 1.0))
        results.append(mixed(round, 2 ** 62 + index))  # past a float's 53 bits
    out[index] = results

out = {}
threads = [threading.Thread(target=worker, args=(i, out)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for index in sorted(out):
    print(index, hash(tuple(out[index])), out[index][:3], out[index][-3:])
'''

BLOCKS = r'''
import sys

def floats(n, x):
    total = 0.0
    for i in range(n):
        total += x * i - i / (x + 1.0)
    return total

def overflowing(a, b):
    return a * b + a // (b - 3)

def calls(x, big):
    for i in range(2000):
        floats(5, x)
        overflowing(big, 2 ** 30)          # past 64 bits: deopt
        overflowing(i, i % 2 + 1)
        try:
            overflowing(i, 3)              # ZeroDivisionError
        except ZeroDivisionError:
            pass

x, big = 0.123456789, 2 ** 40 + 12345
calls(x, big)
refs = sys.getrefcount(x), sys.getrefcount(big)
blocks = sys.getallocatedblocks()
for _ in range(10):
    calls(x, big)
# 20 000 rounds: a leaked float or int per call would be thousands of blocks.
grew = sys.getallocatedblocks() - blocks
print("argument refcounts", (sys.getrefcount(x), sys.getrefcount(big)) == refs)
print("blocks grew by less than 200", grew < 200)
'''

LIST_BLOCKS = r'''
import sys

def fill(out, x):
    tmp = [0.0] * len(out)
    for i in range(len(out)):
        tmp[i] = x * i
        out[i] = tmp[i] + out[i]
    return len(tmp)

def fill_then_overflow(out, big):
    for i in range(len(out)):
        out[i] = out[i] * 0.5
    return big * big                       # past 64 bits: deopt, stores undone

def reads_past_end(u):
    total = 0.0
    for i in range(len(u) + 1):
        total += u[i]                      # IndexError at the end
    return total

def calls(out, x, big):
    for i in range(500):
        fill(out, x)
        fill_then_overflow(out, big)
        try:
            reads_past_end(out)
        except IndexError:
            pass

out, x, big = [1.0] * 16, 0.123456789, 2 ** 40 + 12345
calls(out, x, big)
refs = sys.getrefcount(out), sys.getrefcount(x), sys.getrefcount(big)
blocks = sys.getallocatedblocks()
for _ in range(10):
    calls(out, x, big)
grew = sys.getallocatedblocks() - blocks
print("argument refcounts", (sys.getrefcount(out), sys.getrefcount(x),
                             sys.getrefcount(big)) == refs)
print("blocks grew by less than 200", grew < 200)
print("list", len(out), repr(sum(out)))
'''


class Threads(JitTest):
    def test_threads_calling_compiled_code(self):
        script = self.write("threads.py", THREADS)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "threads")
        self.assertRanCompiled(actual, "threads")


class ReferenceCounts(JitTest):
    def test_compiled_calls_leave_no_objects_behind(self):
        script = self.write("blocks.py", BLOCKS)
        expected = plain(script)
        self.assertEqual(expected.stdout,
                         "argument refcounts True\n"
                         "blocks grew by less than 200 True\n",
                         expected.stderr)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "allocated blocks")
        self.assertRanCompiled(actual, "allocated blocks")

    def test_lists_leave_no_objects_behind(self):
        script = self.write("list_blocks.py", LIST_BLOCKS)
        expected = plain(script)
        self.assertEqual(expected.stdout.splitlines()[:2],
                         ["argument refcounts True",
                          "blocks grew by less than 200 True"],
                         expected.stderr)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "list blocks")
        stats = self.assertRanCompiled(actual, "list blocks")
        self.assertGreater(stats["deopts"], 0, actual.stderr[-2000:])


if __name__ == "__main__":
    unittest.main()
