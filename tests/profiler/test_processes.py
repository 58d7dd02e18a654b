"""Which process and thread a profile is of: children started as new
interpreters (subprocess, multiprocessing spawn) write files of their own
and say which process they are; threads that reuse an ident are separate
threads; the summary keeps elapsed and summed thread time apart."""

import os
import re
import subprocess
import unittest
from pathlib import Path

import pstats

from profiler_support import (PYTHON, STAGE, WORKLOADS, entry, option_text,
                              run_profiled, scratch_directory)


def cli_run(script, options, args=(), cwd=None, env=None):
    """`pyhooks run -p profiler -o profiler.KEY=VALUE ... script args`: the
    launcher is what profiles child interpreters."""
    cmd = [os.path.join(STAGE, "bin", "pyhooks"), "run", "--python", PYTHON,
           "-p", "profiler"]
    for key, value in options.items():
        cmd += ["-o", "profiler.%s=%s" % (key, option_text(value))]
    child_env = dict(os.environ)
    child_env.update(env or {})
    return subprocess.run(cmd + [str(WORKLOADS / script), *args], cwd=cwd,
                          env=child_env, capture_output=True, text=True,
                          timeout=120)


def names(path):
    return {key[2] for key in pstats.Stats(str(path)).stats}


class SpawnedChildren(unittest.TestCase):
    def test_explicit_output_is_not_replaced_by_children(self):
        scratch = Path(scratch_directory())
        done = cli_run("spawns.py", {"output": "run.prof", "collapsed": "",
                                     "svg": "run.svg", "summary": 1},
                       cwd=scratch)
        self.assertEqual(done.returncode, 0, done.stderr)
        child_pid, spawned_pid = map(int, done.stdout.split())
        parent = names(scratch / "run.prof")
        self.assertIn("parent_only", parent)
        self.assertNotIn("child_only", parent)
        self.assertNotIn("spawned_only", parent)
        child = names(scratch / ("run.pid%d.prof" % child_pid))
        self.assertIn("child_only", child)
        self.assertNotIn("parent_only", child)
        spawned = names(scratch / ("run.pid%d.prof" % spawned_pid))
        self.assertIn("spawned_only", spawned)
        # The flamegraph's subtitle names the process too.
        svg = (scratch / ("run.pid%d.svg" % child_pid)).read_text()
        self.assertIn("process %d (" % child_pid, svg)
        self.assertIn("spawns.py child", svg)
        self.assertNotRegex((scratch / "run.svg").read_text(),
                            r"process \d+ \(")  # the program's own
        # Each child's summary names its process and command line.
        self.assertRegex(done.stderr, r"pyhooks profiler \(child process %d: "
                         r"\S*python\S* \S*spawns\.py child\)" % child_pid)
        self.assertRegex(done.stderr, r"pyhooks profiler \(child process %d: "
                         r"\S*python\S* .*multiprocessing" % spawned_pid)
        headers = re.findall(r"^pyhooks profiler[ :]", done.stderr, re.M)
        self.assertGreaterEqual(len(headers), 3, done.stderr)

    def test_default_names_carry_the_child_pid(self):
        scratch = Path(scratch_directory())
        done = cli_run("spawns.py", {"summary": 0, "svg": ""}, cwd=scratch)
        self.assertEqual(done.returncode, 0, done.stderr)
        child_pid, _ = map(int, done.stdout.split())
        out = scratch / "pyhooks-profile"
        # A run's children get the run's number, and their pid.
        self.assertIn("parent_only", names(out / "run-1.prof"))
        self.assertIn("child_only", names(
            out / ("run-1.pid%d.prof" % child_pid)))
        svg_free = [n for n in os.listdir(out) if n.endswith(".svg")]
        self.assertEqual(svg_free, [])


class Threads(unittest.TestCase):
    def test_threads_that_reuse_an_ident_are_separate(self):
        run = run_profiled("reused_idents.py", {"summary": 1})
        lines = re.findall(r"^  (main thread|thread \d+) \(ident (\d+)\): "
                           r"[\d.]+ s, (\d+) calls$", run.stderr, re.M)
        self.assertEqual(len(lines), 9, run.stderr)
        self.assertIn("in 9 threads", run.stderr)
        ordinals = [name for name, _, _ in lines]
        self.assertEqual(len(set(ordinals)), 9, ordinals)
        _, step = entry(run.stats(), "step", "reused_idents")
        self.assertEqual(step[:2], (40, 40))
        # The point of the test: several workers had the same ident.
        distinct = int(run.stdout.strip())
        worker_idents = {ident for name, ident, _ in lines
                         if name != "main thread"}
        self.assertEqual(len(worker_idents), distinct)

    def test_first_event_from_another_thread(self):
        for _ in range(3):
            scratch = Path(scratch_directory())
            output = scratch / "p.prof"
            done = subprocess.run(
                [PYTHON, str(WORKLOADS / "first_event_elsewhere.py"),
                 str(output)], cwd=str(scratch), capture_output=True,
                text=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
            _, leaf = entry(pstats.Stats(str(output)), "leaf",
                            "first_event_elsewhere")
            self.assertGreater(leaf[1], 0)

    def test_elapsed_and_summed_thread_time_are_apart(self):
        # Three workers sleep 20 x 2 ms each while the main thread does the
        # same: the time summed over threads exceeds the elapsed time by at
        # least the workers' 3 x 40 ms, whatever the machine's load.
        run = run_profiled("threads.py", {"summary": 1})
        match = re.search(r"^  ([\d.]+) s of wall time elapsed; ([\d.]+) s of "
                          r"wall time measured, summed over the threads$",
                          run.stderr, re.M)
        self.assertIsNotNone(match, run.stderr)
        elapsed, summed = float(match.group(1)), float(match.group(2))
        threads = [float(t) for t in re.findall(
            r"^  (?:main thread|thread \d+) \(ident \d+\): ([\d.]+) s,",
            run.stderr, re.M)]
        self.assertEqual(len(threads), 4, run.stderr)
        self.assertAlmostEqual(summed, sum(threads), delta=0.003)
        self.assertGreater(elapsed, 0.035)
        self.assertGreater(summed, elapsed + 0.08, run.stderr)
        self.assertIn("in 4 threads", run.stderr)

if __name__ == "__main__":
    unittest.main()
