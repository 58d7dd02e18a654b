"""Recursion under pyhooks: the same RecursionError depth as plain python at
the default limit, whatever is installed; with a raised limit, never a crash
(issue: reliability, recursion). What `pyhooks run` adds (a larger C stack)
is tested in tests/cli."""

import os
import subprocess
import sys
import unittest

from pyhooks_testing import PLUGIN_DIR, PYTHON, header, plugin, run_python

print(header(), file=sys.stderr)

SHAPES = {
    "calls": """
def down(n):
    try:
        return down(n + 1)
    except RecursionError:
        return n
print(down(0))
""",
    "methods": """
class Node:
    def go(self, n):
        try:
            return self.go(n + 1)
        except RecursionError:
            return n
print(Node().go(0))
""",
    "generators": """
def nest(n):
    try:
        yield from nest(n + 1)
    except RecursionError:
        yield n
print(next(nest(0)))
""",
    "thread": """
import threading
def down(n):
    try:
        return down(n + 1)
    except RecursionError:
        return n
box = []
thread = threading.Thread(target=lambda: box.append(down(0)))
thread.start()
thread.join()
print(box[0])
""",
}

CONFIGS = {
    "observer": f"import pyhooks; pyhooks.load({plugin('recorder')!r}, "
                f"name='recorder', options={{'filename': '<none>'}})",
    "evaluator": f"import pyhooks; "
                 f"pyhooks.load({plugin('passthrough_evaluator')!r})",
    "observer_on_hook": f"import pyhooks; pyhooks.set_event_source("
                        f"'eval_frame'); pyhooks.load({plugin('recorder')!r},"
                        f" name='recorder', options={{'filename': '<none>'}})",
}


def depth(shape, limit, setup=""):
    """(exit status, depth reached or None)."""
    program = "import sys\n%s\nsys.setrecursionlimit(%d)\n%s" % (
        setup, limit, SHAPES[shape])
    result = run_python(program)
    try:
        return result.returncode, int(result.stdout.split()[-1])
    except (IndexError, ValueError):
        return result.returncode, None


class Recursion(unittest.TestCase):
    def test_same_depth_as_plain_at_the_default_limit(self):
        for shape in SHAPES:
            plain = depth(shape, 1000)
            self.assertEqual(plain[0], 0)
            for name, setup in CONFIGS.items():
                with self.subTest(shape=shape, config=name):
                    self.assertEqual(depth(shape, 1000, setup), plain)

    def test_raised_limit_is_never_worse_than_plain(self):
        # Where plain python survives a limit of 100,000, so does pyhooks:
        # RecursionError (maybe earlier: each hooked call uses C stack, and
        # in-process pyhooks cannot enlarge the stack; `pyhooks run` does),
        # never a crash. Where plain python itself crashes (deep generator
        # nesting overflows CPython's own C stack), there is nothing to keep.
        for shape in SHAPES:
            plain = depth(shape, 100_000)
            if plain[0] != 0:
                continue
            for name, setup in CONFIGS.items():
                with self.subTest(shape=shape, config=name):
                    status, reached = depth(shape, 100_000, setup)
                    self.assertEqual(status, 0)
                    self.assertIsNotNone(reached)
                    hook_free = name == "observer" and sys.version_info >= (3, 12)
                    if hook_free:
                        # sys.monitoring adds no C frame: plain's depth.
                        self.assertEqual(reached, plain[1])


THREAD_STACK = """
import ctypes, threading
libc = ctypes.CDLL(None)
def stack_size():
    attributes = ctypes.create_string_buffer(128)
    libc.pthread_getattr_np(ctypes.c_ulong(threading.get_ident()), attributes)
    address, size = ctypes.c_void_p(), ctypes.c_size_t()
    libc.pthread_attr_getstack(attributes, ctypes.byref(address),
                               ctypes.byref(size))
    return size.value
box = []
thread = threading.Thread(target=lambda: box.append(stack_size()))
thread.start()
thread.join()
print(box[0])
"""


class UnderPyhooksRun(unittest.TestCase):
    """What the launcher adds: a main-thread stack large enough that the hook's
    C frames never end a recursion plain python would allow."""

    def run_cli(self, program):
        pyhooks = os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks")
        env = dict(os.environ, PYHOOKS_PLUGIN_PATH=PLUGIN_DIR)
        env.pop("PYHOOKS_THREAD_STACK_SIZE", None)
        return subprocess.run(
            [pyhooks, "run", "--python", PYTHON, "-p", "passthrough_evaluator",
             "-c", program], env=env, capture_output=True, text=True,
            timeout=300)

    def test_main_thread_recurses_as_deep_as_plain_python(self):
        program = "import sys\nsys.setrecursionlimit(100000)\n" + \
            SHAPES["calls"]
        plain = run_python(program)
        under = self.run_cli(program)
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertEqual(under.returncode, 0, under.stderr)
        self.assertEqual(under.stdout, plain.stdout)
        self.assertGreater(int(plain.stdout), 90000)

    def test_threads_keep_plain_pythons_stack_size(self):
        plain = run_python(THREAD_STACK)
        under = self.run_cli(THREAD_STACK)
        self.assertEqual(under.returncode, 0, under.stderr)
        self.assertEqual(under.stdout, plain.stdout)


if __name__ == "__main__":
    unittest.main()
