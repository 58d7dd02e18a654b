"""jit smoke test: a handful of kernels give plain python's output (values
and exceptions) under `pyhooks run -p jit`, and are compiled; a rebound
global is never stale; sys.settrace keeps the interpreter; Ctrl-C-like
signals reach a compiled loop. The wide differential tests are elsewhere
(tests/jit by jitqa); this one only guards the plugin's own basics."""

import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unittest

PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON", sys.executable)
PYHOOKS = os.path.join(os.environ.get("PYHOOKS_STAGE", ""), "bin", "pyhooks")
TIMEOUT = 120

KERNELS = r'''
import math, sys
sys.setrecursionlimit(5000)

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

def float_loop(n):
    s = 0.0
    for i in range(n):
        s += i * 0.5
    return s

def primes(n):
    count = 0
    for k in range(2, n):
        d = 2
        prime = True
        while d * d <= k:
            if k % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
    return count

def arith(a, b):
    return (a // b, a % b, a / b, -a // b, -a % b, a ** 2, abs(-a),
            max(a, b), min(a, b))

def floats(x, y):
    return (x // y, x % y, -x % y, x / y, math.sqrt(abs(x)), math.floor(x),
            math.ceil(y), round(x), int(y), x < y < 10.0, x == y or x > 0)

def grow(n):
    x = 1
    for i in range(n):
        x = x * 3
    return x

def divide(a, b):
    return a // b

def fexp(x):
    return math.exp(x)

def depth(n):
    if n == 0:
        return 0
    return depth(n - 1) + 1

print(fib(22))
print(float_loop(100000))
print(primes(3000))
for a, b in ((7, 2), (-7, 2), (7, -2), (0, 5), (2**40, 3)):
    print(arith(a, b))
for x, y in ((7.5, 2.0), (-7.5, 2.0), (7.5, -2.0), (-0.0, 1.0), (2.5, 0.5)):
    print(floats(x, y))
print(grow(10), grow(50))
for args in ((1, 0), (7, 2)):
    try:
        print(divide(*args))
    except ZeroDivisionError as e:
        print("ZeroDivisionError", e)
for x in (1.0, 1000.0):
    try:
        print(fexp(x))
    except OverflowError as e:
        print("OverflowError", e)
print(depth(100), depth(3000))
try:
    print(depth(100000))
except RecursionError as e:
    print("RecursionError")
'''

REBIND = r'''
def g(x):
    return x + 1

def f(n):
    s = 0
    for i in range(n):
        s += g(i)
    return s

print(f(10), f(10))
def g(x):
    return x * 2
print(f(10), f(10))
'''

TRACED = r'''
import sys
def loop(n):
    s = 0
    for i in range(n):
        s += i
    return s
lines = []
def tracer(frame, event, arg):
    if frame.f_code is loop.__code__ and event == "line":
        lines.append(frame.f_lineno)
    return tracer
print(loop(100), loop(100))
sys.settrace(tracer)
print(loop(50))
sys.settrace(None)
print(len(lines))
'''

SIGNALLED = r'''
import signal
class Stop(Exception):
    pass
def handler(signum, frame):
    raise Stop()
def spin(n):
    i = 0
    while i < n:
        i += 1
    return i
def spin_range(n):
    t = 0
    for i in range(n):
        for j in range(i & 3):
            t ^= j
        t ^= i
    return t
# First calls: on 3.12+ they route the functions (their frames had begun
# already), so that the long calls below run compiled there too.
spin(10)
spin_range(10)
signal.signal(signal.SIGALRM, handler)
for function in (spin, spin_range):
    signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        print(function(2**62))
    except Stop:
        print("stopped")
'''

MAPPED = r'''
import os
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
print(fib(15))
path = "/tmp/perf-%d.map" % os.getpid()
names = [line.split(" ", 2)[2].strip() for line in open(path)
         if line.endswith("[jit]\n")] if os.path.exists(path) else []
print("py::fib [jit]" in names)
if os.path.exists(path):
    os.unlink(path)
'''


def run(args):
    env = dict(os.environ)
    for name in ("PYHOOKS_RUN_SPEC", "PYHOOKS_CONFIG", "PYHOOKS_ENABLE",
                 "PYHOOKS_DISABLE"):
        env.pop(name, None)
    return subprocess.run(args, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=TIMEOUT)


class Smoke(unittest.TestCase):
    def script(self, text):
        directory = tempfile.mkdtemp(prefix="jit-smoke-")
        path = os.path.join(directory, "program.py")
        with open(path, "w") as f:
            f.write(textwrap.dedent(text))
        return path

    def compare(self, text, *options):
        path = self.script(text)
        plain = run([PYTHON, path])
        jitted = run([PYHOOKS, "run", "--python", PYTHON, "-p", "jit",
                      "-o", "jit.stats=true", "-o", "jit.threshold=0",
                      "-o", "jit.leaves=true", *options, path])
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertEqual(jitted.returncode, 0, jitted.stderr)
        self.assertEqual(jitted.stdout, plain.stdout)
        return jitted.stderr

    def compiled(self, stderr):
        match = re.search(r"pyhooks jit: (\d+) compiled", stderr)
        self.assertIsNotNone(match, stderr)
        return int(match.group(1))

    def test_kernels_match_plain_python_and_compile(self):
        stderr = self.compare(KERNELS)
        # fib, float_loop, primes, grow, divide, fexp, depth; arith and
        # floats build tuples, outside the subset, and say so.
        self.assertGreaterEqual(self.compiled(stderr), 7, stderr)
        self.assertNotIn("declined fib", stderr)
        self.assertNotIn("declined primes", stderr)
        self.assertRegex(stderr, r"declined arith \(.*\): it uses this instruction")
        self.assertRegex(stderr, r"[1-9]\d* deopts")  # overflow, /0, depth

    def test_each_optimisation_level(self):
        for level in ("0", "3"):
            self.assertGreaterEqual(
                self.compiled(self.compare(KERNELS, "-o", "jit.opt_level=" + level)),
                7)

    def test_a_rebound_global_is_never_stale(self):
        stderr = self.compare(REBIND)
        self.assertRegex(stderr, r"[1-9]\d* guard failures")

    def test_settrace_keeps_the_interpreter(self):
        self.compare(TRACED)

    def test_a_signal_reaches_a_compiled_loop(self):
        stderr = self.compare(SIGNALLED)
        self.assertGreaterEqual(self.compiled(stderr), 1)
        # spin and spin_range ran compiled (not only some library function).
        self.assertNotIn("declined spin", stderr)
        native = re.search(r"(\d+) native entries", stderr)
        self.assertGreaterEqual(int(native.group(1)), 2, stderr)

    def test_compiled_functions_are_named_in_the_perf_map(self):
        path = self.script(MAPPED)
        result = run([PYHOOKS, "run", "--python", PYTHON, "-p", "jit", path])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "610\nTrue\n")

    def test_a_bad_option_is_one_clear_line(self):
        result = run([PYHOOKS, "run", "--python", PYTHON, "-p", "jit",
                      "-o", "jit.opt_level=7", "-c", "pass"])
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("opt_level=7 is out of range 0..3", result.stderr)


if __name__ == "__main__":
    unittest.main()
