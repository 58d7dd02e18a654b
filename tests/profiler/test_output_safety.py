"""Outputs are never partial and never lost silently: a kill during the
exit-time write leaves the previous file or a complete one and no temporary
file; default names in an unwritable start directory are refused before the
program starts; a start directory gone by exit sends the default names to
the temporary directory, and the summary says where."""

import contextlib
import json
import os
import signal
import subprocess
import time
import unittest
from pathlib import Path

import pstats

from profiler_support import (PYTHON, WORKLOADS, command, parse_collapsed,
                              profiler_environment, scratch_directory)


def start(script, options, args=(), cwd=None, env=None):
    child_env = dict(os.environ)
    child_env.update(env or {})
    child_env.update(profiler_environment(options))
    return subprocess.Popen(command(WORKLOADS / script, options, args),
                            cwd=cwd, env=child_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def complete(path):
    """True if `path` is a whole output of its kind."""
    if path.suffix == ".prof":
        pstats.Stats(str(path))  # raises on a cut file
        return True
    if path.suffix == ".svg":
        return path.read_text().rstrip().endswith("</svg>")
    if path.suffix == ".json":
        json.loads(path.read_text())  # raises on a cut file
        return True
    text = path.read_text()
    parse_collapsed(str(path))
    return text.endswith("\n")


@contextlib.contextmanager
def unwritable_directory():
    """A directory no file can be created in, even by root (chattr +i)."""
    path = Path(scratch_directory()) / "locked"
    path.mkdir()
    if os.geteuid() == 0:
        locked = subprocess.run(["chattr", "+i", str(path)],
                                capture_output=True).returncode == 0
        if not locked:
            raise unittest.SkipTest("root, and chattr +i is not available")
        try:
            yield path
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)


class KilledWhileWriting(unittest.TestCase):
    def run_once(self, options, delay):
        """Runs many_paths.py and sends SIGTERM `delay` seconds after it
        said "ready" (the profiler writes right after), or lets it end when
        `delay` is None; returns the scratch directory and the seconds from
        "ready" to the process's end."""
        scratch = Path(scratch_directory())
        for name in ("run.prof", "run.collapsed", "run.svg",
                     "run.speedscope.json"):
            (scratch / name).write_text("previous")
        opts = dict(options)
        for key in ("output", "collapsed", "svg", "speedscope"):
            if opts.get(key) is not None:
                opts[key] = str(scratch / opts[key])
        opts = {k: v for k, v in opts.items() if v is not None}
        proc = start("many_paths.py", opts, ["3000"], cwd=str(scratch))
        self.assertEqual(proc.stdout.readline().strip(), "ready")
        ready = time.monotonic()
        if delay is not None:
            time.sleep(delay)
            proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=120)
        return scratch, time.monotonic() - ready

    def kill_during_write(self, options, steps):
        """Sweeps the SIGTERM over the exit-time write in `steps` runs,
        from "ready" to a little past the time an unkilled run takes (so
        the sweep fits a slow build too, e.g. under ASan); returns the
        scratch directory of each run."""
        _, span = self.run_once(options, None)
        return [self.run_once(options, span * 1.2 * i / (steps - 1))[0]
                for i in range(steps)]

    def check_files(self, scratch):
        for path in scratch.rglob("*"):
            if path.is_dir():
                continue
            self.assertNotIn(".tmp-", path.name, sorted(os.listdir(scratch)))
            if path.read_text(errors="replace") == "previous":
                continue
            self.assertTrue(complete(path), path)

    def test_explicit_names_are_whole_or_previous(self):
        options = {"output": "run.prof", "collapsed": "run.collapsed",
                   "svg": "run.svg", "speedscope": "run.speedscope.json",
                   "summary": 0}
        runs = self.kill_during_write(options, 12)
        for scratch in runs:
            self.check_files(scratch)
        # The sweep covered both sides: some runs were killed before any
        # new file was named, and the last ones finished writing.
        finished = [s for s in runs
                    if (s / "run.svg").read_text() != "previous"]
        self.assertTrue(finished, "no run got as far as writing")

    def test_default_names_are_whole_or_absent(self):
        runs = self.kill_during_write({"summary": 0}, 24)
        for scratch in runs:
            self.check_files(scratch)


class UnwritableStartDirectory(unittest.TestCase):
    def test_default_names_refused_before_the_program(self):
        with unwritable_directory() as locked:
            proc = start("busy_calls.py", {"summary": 0}, ["3"],
                         cwd=str(locked))
            out, err = proc.communicate(timeout=60)
            self.assertNotEqual(proc.returncode, 0, err)
            self.assertEqual(out, "")  # the program never ran
            lines = [line for line in err.splitlines()
                     if "default output file cannot be written" in line]
            self.assertEqual(len(lines), 1, err)
            self.assertIn(str(locked), lines[0])
            self.assertIn("not writable", lines[0])

    def test_gone_by_exit_goes_to_the_temporary_directory(self):
        scratch = Path(scratch_directory())
        start_dir = scratch / "start"
        start_dir.mkdir()
        elsewhere = scratch / "elsewhere"
        elsewhere.mkdir()
        temporary = scratch / "tmp"
        temporary.mkdir()
        proc = start("leaves_its_directory.py", {"summary": 1},
                     [str(elsewhere)], cwd=str(start_dir),
                     env={"TMPDIR": str(temporary)})
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err)
        written = sorted(os.listdir(temporary / "pyhooks-profile"))
        self.assertEqual(written, ["run-1.prof", "run-1.speedscope.json",
                                   "run-1.svg"])
        work = {key[2] for key in pstats.Stats(
            str(temporary / "pyhooks-profile" / "run-1.prof")).stats}
        self.assertIn("work", work)
        self.assertIn("the profile goes to %s instead" % temporary, err)
        self.assertEqual(os.listdir(elsewhere), [])


if __name__ == "__main__":
    unittest.main()
