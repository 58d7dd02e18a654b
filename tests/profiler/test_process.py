"""The profiled program behaves as under plain python; forked children write
their own files; per-thread output; memory does not grow with calls."""

import os
import re
import unittest
from pathlib import Path

import pstats

from profiler_support import entry, run_plain, run_profiled


class SameBehaviour(unittest.TestCase):
    def test_output_arguments_and_exit_status(self):
        for args in (["world", "3"], ["x", "0"]):
            plain = run_plain("exits.py", args)
            profiled = run_profiled("exits.py", args=args, check=False)
            self.assertEqual(profiled.returncode, plain.returncode)
            self.assertEqual(profiled.stdout, plain.stdout)
            self.assertEqual(profiled.stderr, plain.stderr)  # summary is 0

    def test_uncaught_exception(self):
        plain = run_plain("raises.py")
        profiled = run_profiled("raises.py", check=False)
        self.assertEqual(profiled.returncode, plain.returncode)
        self.assertEqual(profiled.returncode, 1)
        self.assertEqual(profiled.stdout, plain.stdout)
        self.assertEqual(profiled.stderr.splitlines()[-1],
                         plain.stderr.splitlines()[-1])
        # The profile is still written, with the frames the error left.
        _, fail = entry(pstats.Stats(profiled.files["output"]), "fail", "raises")
        self.assertEqual(fail[:2], (1, 1))


@unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
class Fork(unittest.TestCase):
    def test_child_writes_its_own_files(self):
        run = run_profiled("forks.py")
        child_pid = int(run.stdout.strip().splitlines()[-1])
        parent = run.stats()
        parent_names = {key[2] for key in parent.stats}
        self.assertIn("before_fork", parent_names)
        self.assertIn("parent_only", parent_names)
        self.assertNotIn("child_only", parent_names)
        suffix = ".pid%d" % child_pid
        for key, path in run.files.items():
            child_file = Path(path).with_name(
                Path(path).stem + suffix + Path(path).suffix)
            self.assertTrue(child_file.exists(), child_file)
        child = pstats.Stats(str(Path(run.files["output"]).with_name(
            "profile" + suffix + ".prof")))
        child_names = {key[2] for key in child.stats}
        self.assertIn("child_only", child_names)
        self.assertNotIn("parent_only", child_names)
        self.assertNotIn("before_fork", child_names)  # reset at the fork


class PerThread(unittest.TestCase):
    def test_thread_files_and_roots(self):
        run = run_profiled("threads.py", {"per_thread": True, "clock": "cpu"},
                           truth_clock="cpu")
        merged = run.stats()
        _, busy = entry(merged, "busy", "threads")
        self.assertEqual(busy[:2], (80, 80))
        output = Path(run.files["output"])
        thread_files = sorted(output.parent.glob("profile.thread-*.prof"))
        self.assertEqual(len(thread_files), 4, thread_files)
        counts = []
        for path in thread_files:
            _, value = entry(pstats.Stats(str(path)), "busy", "threads")
            counts.append(value[1])
        self.assertEqual(counts, [20, 20, 20, 20])
        roots = {stack[0] for stack, _ in run.collapsed()}
        self.assertEqual(len([r for r in roots if r.startswith("main thread")]), 1)
        self.assertEqual(len([r for r in roots if re.match(r"thread \d+ \(ident", r)]),
                         3, roots)


class Memory(unittest.TestCase):
    def tables(self, calls):
        run = run_profiled("loop.py", {"summary": 1}, args=[str(calls)])
        match = re.search(r"tables: (\d+) functions, (\d+) call paths, (\d+) KiB",
                          run.stderr)
        self.assertIsNotNone(match, run.stderr)
        _, branch = entry(run.stats(), "branch", "loop")
        self.assertEqual(branch[:2], (calls, calls))
        return tuple(int(group) for group in match.groups())

    def test_tables_do_not_grow_with_calls(self):
        small = self.tables(1000)
        large = self.tables(200000)
        self.assertEqual(small[:2], large[:2])  # functions, call paths
        self.assertLessEqual(large[2], small[2] + 4)


if __name__ == "__main__":
    unittest.main()
