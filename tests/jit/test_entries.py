"""How compiled code is entered (docs/internals/jit.md, "Entries"): on 3.12+
no eval-frame hook is installed for the JIT (HOST-28), its compiled
functions are reached through host function entries (HOST-25) and their
guards are kept by watchers (HOST-24), looked up again only after a change;
on 3.11 the JIT runs behind the hook and looks its guards up at every
entry. The programs' output equals plain python's either way."""

import re
import subprocess
import unittest

from jit_support import PYTHON, JitTest, plain, under_pyhooks

MINOR = int(subprocess.run(
    [PYTHON, "-c", "import sys; print(sys.version_info[1])"],
    capture_output=True, text=True, check=True).stdout)

ENTRY_LINE = re.compile(
    r"^pyhooks jit: (?P<routes>\d+) function entries set, (?P<calls>\d+) "
    r"calls through them, (?P<rechecks>\d+) guard re-checks", re.M)

HOOK_PROBE = r'''
import ctypes

api = ctypes.pythonapi
api.PyInterpreterState_Get.restype = ctypes.c_void_p
get = api._PyInterpreterState_GetEvalFrameFunc
get.restype = ctypes.c_void_p
get.argtypes = [ctypes.c_void_p]
default = ctypes.cast(api._PyEval_EvalFrameDefault, ctypes.c_void_p).value
print("hooked", get(api.PyInterpreterState_Get()) != default)
'''

WORKLOAD = r'''
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def accumulate(n):
    total = 0.0
    for i in range(n):
        total += i * 0.5
    return total


def main():
    print(fib(20), accumulate(10000), [fib(k) for k in range(12)])


main()
'''

REBINDING = r'''
def scale(x):
    return x * FACTOR


FACTOR = 2
UNRELATED = 0


def run():
    global UNRELATED
    total = 0
    for i in range(400):
        total += scale(i)
        UNRELATED = i  # a store to the watched globals, not a guarded name
    return total


print(run(), run())
FACTOR = 3
print(run())
'''


def entry_stats(stderr):
    found = ENTRY_LINE.search(stderr)
    return {key: int(value) for key, value in found.groupdict().items()} \
        if found else None


class Entries(JitTest):
    def test_no_eval_frame_hook_on_312_and_later(self):
        script = self.write("probe.py", HOOK_PROBE)
        self.assertEqual(plain(script).stdout, "hooked False\n")
        result = under_pyhooks(script)
        self.assertEqual(result.returncode, 0, result.stderr)
        # 3.11 has no function entries: the JIT is offered frames there.
        self.assertEqual(result.stdout,
                         "hooked %s\n" % (MINOR < 12), result.stderr)

    def test_compiled_functions_are_entered_through_vectorcall(self):
        script = self.write("workload.py", WORKLOAD)
        expected = plain(script)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "workload")
        self.assertRanCompiled(actual, "workload")
        stats = entry_stats(actual.stderr)
        if MINOR < 12:
            self.assertIsNone(stats, actual.stderr)
            return
        self.assertIsNotNone(stats, actual.stderr)
        self.assertGreaterEqual(stats["routes"], 2, actual.stderr)
        self.assertGreater(stats["calls"], 0, actual.stderr)

    def test_guards_are_looked_up_only_after_a_watched_change(self):
        script = self.write("rebinding.py", REBINDING)
        expected = plain(script)
        self.assertEqual(expected.stdout, "159600 159600\n239400\n")
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "rebinding")
        self.assertRanCompiled(actual, "rebinding")
        stats = entry_stats(actual.stderr)
        if MINOR < 12:
            self.assertIsNone(stats, actual.stderr)
            return
        # 1200 calls of scale through its entry; FACTOR rebound once: one
        # re-check finds the guard broken (the code recompiles), no other
        # store (UNRELATED) makes it look again.
        self.assertGreater(stats["calls"], 1000, actual.stderr)
        self.assertEqual(stats["rechecks"], 1, actual.stderr)


if __name__ == "__main__":
    unittest.main()
