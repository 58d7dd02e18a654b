"""Recursion accounting's call-site memo (host/compat/call_memo.h, 3.12 and
3.13): the answer "would plain python have pushed this frame inline?" must
stay the one the full decode-and-scan gives, however the memo's remembered
call sites go stale. Each program recurses to RecursionError in shapes that
make a remembered slot wrong, and its output must be plain python's under a
declining evaluator and an observer on the hook (the configurations whose
calls go through the hook's recursion accounting). On 3.11 there is no memo
and the programs check the same thing about the one counter.

- one call instruction whose callee alternates between a Python function
  (inline in plain) and a C callable that calls the same function (charged):
  functools.partial, and a Python function whose body calls it through
  sorted's key;
- code objects that die and are replaced, in a loop, by new ones (their
  addresses reused by the allocator) whose call sites hold the function in
  another slot or call it through C at the same offsets."""

import os
import sys
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)

CONFIGS = {
    "evaluator": f"import pyhooks; "
                 f"pyhooks.load({plugin('passthrough_evaluator')!r})",
    "observer_on_hook": f"import pyhooks; pyhooks.set_event_source("
                        f"'eval_frame'); pyhooks.load({plugin('recorder')!r},"
                        f" name='recorder', options={{'filename': '<none>'}})",
}

PROGRAMS = {
    # The same CALL instruction (`step(n + 1)`) calls `down` directly at even
    # depths and a partial object (C) wrapping it at odd ones: the memo's
    # slot for that instruction holds `down` after an even level, and the
    # next level's probe there must not count the partial's call as inline.
    "partial_at_the_same_instruction": """
import functools
def down(n):
    try:
        step = down if n % 2 == 0 else wrapped
        return step(n + 1)
    except RecursionError as error:
        caught.append((n, error))
        return n
wrapped = functools.partial(down)
down(0)
report()
""",
    # The callee's function changes at one instruction: `down` (inline) or
    # `via_key` (inline too), whose body calls `down` from sorted (C).
    "sorted_key_behind_the_same_instruction": """
def via_key(n):
    return sorted([n], key=down)[0]
def down(n):
    try:
        step = down if n % 3 else via_key
        return step(n + 1)
    except RecursionError as error:
        caught.append((n, error))
        return n
down(0)
report()
""",
    # A method call and a plain call of the same function at one
    # instruction: the [function, self, args] and [NULL, function, args]
    # layouts put the arguments in different slots. Python calls only (at a
    # raised limit the host's C stack guard ends it: test_recursion.py).
    "bound_and_plain_at_the_same_instruction": """
class Box:
    def down(self, n):
        try:
            step = self.down if n % 2 else (lambda m: Box.down(self, m))
            return step(n + 1)
        except RecursionError as error:
            caught.append((n, error))
            return n
Box().down(0)
report()
""",
}

REPORT = """
caught = []
def report():
    depth, error = caught[0]
    print(depth, "%s: %s" % (type(error).__name__, error))
"""

# Code objects replaced in a loop: each round compiles a fresh `down` from
# one of three sources of the same shape (so the new code object, of the same
# size, tends to reuse the address of the one that died the round before,
# with its call instructions at the same offsets), recurses with it to
# RecursionError and drops it. A memo keyed by instruction address would
# carry the previous code object's call sites into the new one.
REUSED_CODE = """
import functools, gc
SOURCES = [
    "def down(n):\\n"
    "    try:\\n"
    "        return (down if n % 2 else wrapped)(n + 1)\\n"
    "    except RecursionError:\\n"
    "        return n\\n",
    "def down(n):\\n"
    "    try:\\n"
    "        return list(map(down, [n + 1]))[0]\\n"
    "    except RecursionError:\\n"
    "        return n\\n",
    "def down(n):\\n"
    "    try:\\n"
    "        return (wrapped if n % 2 else down)(n + 1)\\n"
    "    except RecursionError:\\n"
    "        return n\\n",
]
depths = []
for round in range(60):
    scope = {}
    exec(compile(SOURCES[round % 3], "<round>", "exec"), scope)
    scope["wrapped"] = functools.partial(scope["down"])
    depths.append(scope["down"](0))
    del scope
    gc.collect()
print(depths)
"""

def run(program, limit, setup=""):
    result = run_python("import sys\n%s\nsys.setrecursionlimit(%d)\n%s" %
                        (setup, limit, program))
    return result.returncode, result.stdout, result.stderr[-2000:]


# At the default limit Python's own limit ends the recursion; at a raised
# one, 3.12's and 3.13's C recursion limit does, which only the frames
# started from C are charged against: a frame wrongly counted as inline
# there shows as a deeper recursion than plain's.
LIMITS = (1000, 100_000)
# Under ASan on 3.13 the instrumented host's larger C frames let its C stack
# guard end that recursion before 3.13's C limit does (test_recursion.py,
# ASAN_C_STACK): the raised limit is checked in regular builds only.
ASAN_ON_313 = bool(os.environ.get("PYHOOKS_ASAN")) and \
    sys.version_info[:2] == (3, 13)


class CallMemo(unittest.TestCase):
    def assert_as_plain(self, program, limits=LIMITS):
        if ASAN_ON_313:
            limits = LIMITS[:1]
        for limit in limits:
            plain = run(program, limit)
            if limit != LIMITS[0] and plain[0] != 0:
                # Plain python itself overflows the C stack there (3.11's
                # one counter lets C recursion go that deep; 3.13's C limit
                # is larger than the main stack holds for these frames).
                continue
            self.assertEqual(plain[0], 0, plain)
            self.assertTrue(plain[1].strip(), plain)
            for name, setup in CONFIGS.items():
                with self.subTest(config=name, limit=limit):
                    self.assertEqual(run(program, limit, setup)[:2],
                                     plain[:2])

    def test_callee_changing_at_one_instruction_counts_as_plain(self):
        for shape, body in PROGRAMS.items():
            with self.subTest(shape=shape):
                python_only = shape.startswith("bound_and_plain")
                self.assert_as_plain(REPORT + body,
                                     LIMITS[:1] if python_only else LIMITS)

    def test_code_objects_dying_and_reused_count_as_plain(self):
        self.assert_as_plain(REUSED_CODE)


if __name__ == "__main__":
    unittest.main()
