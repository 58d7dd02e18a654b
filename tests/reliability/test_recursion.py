"""Recursion under pyhooks: the same RecursionError depth as plain python at
the default limit, whatever is installed; with a raised limit, never a crash
(issue: reliability, recursion). What `pyhooks run` adds (a larger C stack)
is tested in tests/cli."""

import sys
import unittest

from support import header, plugin, run_python

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


if __name__ == "__main__":
    unittest.main()
