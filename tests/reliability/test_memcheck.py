"""Valgrind memcheck smoke run (issue 15 item 8): a frame-heavy program
(recursion, generators, C callbacks, threads, an exception) under every
plugin shipped in the stage and the test evaluator and observer, on 3.12,
with no invalid read, write, free or use of uninitialised memory.

Runs only in `make test-asan` (PYHOOKS_MEMCHECK=1, on the regular build:
valgrind cannot run ASan-instrumented code); each run takes 10-20 s. Leaks
are not checked: CPython itself leaves blocks at exit, and the leak tests
(tests/leaks) count references instead."""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from pyhooks_testing import PYTHON, header, plugin

print(header(), file=sys.stderr)

FRAME_HEAVY = """
import threading
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def numbers(n):
    for i in range(n):
        yield i
def fail(n):
    if n == 0:
        raise ValueError("bottom")
    return fail(n - 1)
def work():
    total = fib(14) + sum(numbers(500))
    total += sorted(range(50), key=lambda v: -v)[0]
    total += sum(map(fib, range(8)))
    try:
        fail(20)
    except ValueError:
        total += 1
    return total
threads = [threading.Thread(target=work) for _ in range(2)]
for thread in threads:
    thread.start()
print(work())
for thread in threads:
    thread.join()
"""


PYTHON_OBSERVER = """
class EveryEvent:
    def on_start(self, code, thread_id): pass
    def on_resume(self, code, thread_id): pass
    def on_return(self, code, thread_id, value): pass
    def on_yield(self, code, thread_id, value): pass
    def on_unwind(self, code, thread_id, exception): pass
"""


def configurations():
    """(name, setup) for each plugin: the shipped ones in the stage, the test
    evaluator, and the test observer from sys.monitoring and from the hook."""
    stage = os.environ["PYHOOKS_STAGE"]
    shipped = sorted(glob.glob(os.path.join(stage, "lib", "pyhooks",
                                            "plugins", "*.so")))
    for path in shipped:
        name = os.path.basename(path)
        if name == "pyhooks_python.so":
            # The bridge needs a class to run: one that takes every event,
            # defined in the program itself (its module is __main__).
            yield name, PYTHON_OBSERVER + "pyhooks.load_python(" \
                "'__main__:EveryEvent')"
        else:
            yield name, "pyhooks.load(%r)" % path
    yield "passthrough_evaluator", "pyhooks.load(%r)" % plugin(
        "passthrough_evaluator")
    recorder = "pyhooks.load(%r, name='recorder', options={'filename': " \
               "'<none>'})" % plugin("recorder")
    yield "recorder", recorder
    yield "recorder_on_hook", "pyhooks.set_event_source('eval_frame'); " + \
        recorder


# glibc's loader, not ours (see the file).
SUPPRESSIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "ld_so.supp")


@unittest.skipUnless(os.environ.get("PYHOOKS_MEMCHECK"),
                     "only in make test-asan (PYHOOKS_MEMCHECK=1)")
@unittest.skipUnless(sys.version_info[:2] == (3, 12), "the 3.12 smoke run")
class MemcheckSmoke(unittest.TestCase):
    def memcheck(self, program, cwd=None):
        valgrind = shutil.which("valgrind")
        self.assertIsNotNone(valgrind, "PYHOOKS_MEMCHECK=1 needs valgrind")
        return subprocess.run(
            [valgrind, "--tool=memcheck", "--error-exitcode=99",
             "--leak-check=no", "--suppressions=" + SUPPRESSIONS, PYTHON,
             "-c", program], cwd=cwd,
            env=dict(os.environ, PYTHONMALLOC="malloc"), capture_output=True,
            text=True, timeout=600)

    def test_memcheck_reports_an_overflow_in_a_plugin(self):
        result = self.memcheck(
            "import pyhooks\npyhooks.load(%r, options={'mode': "
            "'heap_overflow'})\n" % plugin("fault"))
        self.assertEqual(result.returncode, 99, result.stderr[-4000:])
        self.assertIn("Invalid write", result.stderr)

    def test_no_memory_error_under_any_plugin(self):
        configs = list(configurations())
        self.assertGreater(len(configs), 3, "no shipped plugin in the stage")
        plain = subprocess.run([PYTHON, "-c", FRAME_HEAVY], capture_output=True,
                               text=True, timeout=60)
        self.assertEqual(plain.returncode, 0, plain.stderr)
        for name, setup in configs:
            with self.subTest(plugin=name), \
                    tempfile.TemporaryDirectory() as directory:
                program = "import pyhooks\n%s\n%s" % (setup, FRAME_HEAVY)
                result = self.memcheck(program, cwd=directory)
                self.assertEqual(result.returncode, 0, result.stderr[-4000:])
                self.assertIn("ERROR SUMMARY: 0 errors", result.stderr)
                self.assertEqual(result.stdout, plain.stdout)


if __name__ == "__main__":
    unittest.main()
