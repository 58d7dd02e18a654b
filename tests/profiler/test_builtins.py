"""Builtins in the profile (docs/profiler.md, "Builtins"): on 3.12+ C
functions are listed under cProfile's keys (`('~', 0, "<built-in method
time.sleep>")`) with cProfile's call counts and caller edges, their time is
not the caller's own, and `builtins=false` turns them off; on 3.11 they are
off, and asking for them stops the run before the program."""

import os
import pstats
import subprocess
import sys
import tempfile
import unittest

from profiler_support import (PYTHON, WORKLOADS, entry, run_profiled)

WORKLOAD = "builtins.py"
# Off by default (docs/profiler.md, Builtins): asked for here.
ON = {"builtins": True}
BUILTINS = {"<built-in method builtins.len>",
            "<built-in method builtins.sorted>",
            "<method 'sort' of 'list' objects>",
            "<built-in method builtins.divmod>",
            "<built-in method time.sleep>"}


def table(stats):
    """{key: (cc, nc, {caller: (nc, cc)})} for the workload's functions and
    the builtins they call, edges among those only. A builtin's totals
    also count calls from outside the workload (the runner's own), so for
    builtins only the edges are compared."""
    mine = {key for key in stats.stats
            if key[0].endswith(WORKLOAD) and key[2] != "<module>"}
    called = {key for key, value in stats.stats.items()
              if key[0] == "~" and any(c in mine for c in value[4])}
    keys = mine | called
    return {key[2] if key[0] == "~" else key[1:]:
            (None if key[0] == "~" else value[0],
             None if key[0] == "~" else value[1],
             {(c[2] if c[0] == "~" else c[1:]): tuple(v[:2])
              for c, v in value[4].items() if c in keys})
            for key, value in stats.stats.items() if key in keys}


@unittest.skipIf(sys.version_info < (3, 12), "C-call events are 3.12+")
class Builtins(unittest.TestCase):
    maxDiff = None

    def test_entries_equal_cprofiles(self):
        import pstats
        ours = table(run_profiled(WORKLOAD, ON).stats())
        with tempfile.TemporaryDirectory() as scratch:
            reference_file = os.path.join(scratch, "cprofile.prof")
            done = subprocess.run(
                [PYTHON, "-m", "cProfile", "-o", reference_file,
                 str(WORKLOADS / WORKLOAD)],
                capture_output=True, text=True, timeout=120)
            self.assertEqual(done.returncode, 0, done.stderr)
            reference = table(pstats.Stats(reference_file))
        self.assertEqual(BUILTINS, {k for k in ours if isinstance(k, str)})
        self.assertEqual(ours, reference)
        # sorted called key back 20 * 50 times: an edge from a builtin.
        [key_row] = [v for k, v in ours.items() if k[1:] == ("key",)]
        self.assertEqual(key_row[2],
                         {"<built-in method builtins.sorted>": (1000, 1000)})

    def test_builtin_time_is_not_the_callers_own(self):
        stats = run_profiled(WORKLOAD, ON).stats()
        _, (_, _, sleep_own, _, _) = entry(stats, "<built-in method time.sleep>")
        _, (_, _, work_own, work_total, _) = entry(stats, "work", WORKLOAD)
        self.assertGreaterEqual(sleep_own, 0.045)
        self.assertGreaterEqual(work_total - work_own, 0.045)

    def test_outputs_name_builtins_as_pstats_prints_them(self):
        run = run_profiled(WORKLOAD, {"summary": 40, **ON})
        self.assertIn("{built-in method time.sleep}", run.stderr)
        # The sleep is most of the run; list.sort, a sliver, may be folded
        # into "[small paths]" in the collapsed file, so it is looked for in
        # the pstats keys as pstats prints them.
        frames = {frame for stack, _ in run.collapsed() for frame in stack}
        self.assertIn("{built-in method time.sleep}", frames)
        printed = {pstats.func_std_string(key) for key in run.stats().stats}
        self.assertIn("{method 'sort' of 'list' objects}", printed)
        with open(run.files["svg"], encoding="utf-8") as svg:
            self.assertIn("{built-in method time.sleep}", svg.read())

    def test_off_by_default_so_the_programs_own_profilers_work(self):
        # With CALL events on another tool, CPython 3.12's sys.setprofile
        # (profile, cProfile) pairs its c_return events wrongly ("Bad
        # return"); off, the host subscribes no CALL for the profiler.
        run = run_profiled("own_profile.py")
        self.assertEqual(run.stdout.splitlines(),
                         ["CALL not subscribed", "profile ok True",
                          "cProfile ok True"], run.stderr)

    def test_why_off_cpython_pairs_c_return_with_the_tools_at_return(self):
        # The CPython mechanism behind the default, without pyhooks (see
        # docs/profiler.md, "Builtins"): if this starts failing, CPython
        # pairs C_RETURN with the tools of its CALL, and builtins can be on
        # by default.
        script = str(WORKLOADS / "another_tools_call_events.py")
        outputs = {}
        for mode in ("plain", "call", "disable"):
            done = subprocess.run([PYTHON, script, mode], capture_output=True,
                                  text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
            outputs[mode] = done.stdout.splitlines()
        self.assertEqual(outputs["plain"],
                         ["c_call len, c_return len, c_call setprofile",
                          "profile ok"])
        unpaired = ["c_return setprofile, c_call len, c_return len, "
                    "c_call setprofile", "profile failed: Bad return"]
        self.assertEqual(outputs["call"], unpaired)
        self.assertEqual(outputs["disable"], unpaired)   # DISABLE is no cure

    def test_builtins_false_turns_them_off(self):
        stats = run_profiled(WORKLOAD, {"builtins": False}).stats()
        self.assertFalse([key for key in stats.stats if key[0] == "~"])
        _, (_, _, work_own, _, _) = entry(stats, "work", WORKLOAD)
        self.assertGreaterEqual(work_own, 0.045)   # the sleep is its own


@unittest.skipIf(sys.version_info >= (3, 12), "3.11 only")
class BuiltinsOn311(unittest.TestCase):
    def test_off_by_default(self):
        stats = run_profiled(WORKLOAD).stats()
        self.assertFalse([key for key in stats.stats if key[0] == "~"])
        entry(stats, "work", WORKLOAD)

    def test_asking_for_them_stops_before_the_program(self):
        run = run_profiled(WORKLOAD, {"builtins": True}, check=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("builtins=true needs CPython 3.12", run.stderr)
        self.assertFalse(os.path.exists(run.files["output"]))

    def test_builtins_false_is_accepted(self):
        run_profiled(WORKLOAD, {"builtins": False}).stats()


if __name__ == "__main__":
    unittest.main()
