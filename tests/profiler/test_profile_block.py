"""`with pyhooks.profile(...)` and `@pyhooks.profile(...)`: only the block
(or the decorated calls) is in the profile, the files exist as soon as it
ends, a recursive decorated function is one profile, and a second profiler
in the same process is refused with a clear message."""

import os
import pstats
import subprocess
import textwrap
import unittest
from pathlib import Path

from profiler_support import PYTHON, TIMEOUT, scratch_directory

PROGRAM = textwrap.dedent(r"""
    import os, sys
    import pyhooks

    def inside():
        return sum(range(1000))

    def outside():
        return sum(range(1000))

    @pyhooks.profile(output=sys.argv[2], svg="", speedscope="", summary=0)
    def countdown(n):
        return n if n == 0 else countdown(n - 1)

    outside()
    with pyhooks.profile(output=sys.argv[1], svg="", speedscope="", summary=0):
        for _ in range(3):
            inside()
    print("block file written:", os.path.exists(sys.argv[1]))
    outside()
    countdown(5)
    print("decorated file written:", os.path.exists(sys.argv[2]))
    with pyhooks.profile(output=sys.argv[3], summary=0):
        try:
            with pyhooks.profile(summary=0):
                pass
        except pyhooks.PluginError as error:
            print("nested:", error)
""")


def functions(path):
    return {key[2]: value[:2] for key, value in pstats.Stats(str(path)).stats.items()}


class ProfileBlock(unittest.TestCase):
    def test_block_decorator_and_nesting(self):
        scratch = Path(scratch_directory())
        program = scratch / "blocks.py"
        program.write_text(PROGRAM)
        block, decorated, outer = (scratch / n for n in ("block.prof", "deco.prof",
                                                         "outer.prof"))
        env = dict(os.environ)
        done = subprocess.run([PYTHON, str(program), str(block), str(decorated),
                               str(outer)],
                              cwd=str(scratch), env=env, capture_output=True,
                              text=True, timeout=TIMEOUT)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("block file written: True", done.stdout)
        self.assertIn("decorated file written: True", done.stdout)
        in_block = functions(block)
        self.assertEqual(in_block["inside"], (3, 3))
        self.assertNotIn("outside", in_block)
        self.assertNotIn("countdown", in_block)
        in_calls = functions(decorated)
        self.assertEqual(in_calls["countdown"], (1, 6))  # 6 calls, 1 primitive
        self.assertNotIn("outside", in_calls)
        self.assertIn("nested: pyhooks.profile(): the profiler is already "
                      "active", done.stdout)
        self.assertTrue(outer.exists())
        self.assertEqual(done.stderr, "")


if __name__ == "__main__":
    unittest.main()
