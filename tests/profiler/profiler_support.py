"""Helpers for the profiler tests: run a workload under the profiler in a
child process, then read what it wrote.

The child is started by tests/support/run_under_plugins.py: by default
`python -c BOOT script args` (pyhooks.load("profiler", ...) then the script
as `python script.py` runs it); with PYHOOKS_PROFILER_TESTS_CLI=1 the staged
`pyhooks run -p profiler -o profiler.KEY=VALUE ... script args`, so the same
tests cover the CLI.
"""

import atexit
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import run_under_plugins as shared
from run_under_plugins import option_text, run_under_plugins  # noqa: F401

STAGE = shared.STAGE

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "workloads"
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
USE_CLI = os.environ.get("PYHOOKS_PROFILER_TESTS_CLI") == "1"
TIMEOUT = 120

class TimingMismatch(AssertionError):
    """A time outside its tolerance (retried; counts never are)."""


def command(script, options, args=()):
    """The child's argv for a profiled run of `script` (CLI or BOOT)."""
    return shared.command(script, [("profiler", options)], args, USE_CLI)


def profiler_environment(options):
    """The environment entry BOOT reads the profiler's options from."""
    return shared.plugins_environment([("profiler", options)])


class Run:
    """One profiled run: the process result and its output files."""

    def __init__(self, proc, files, truth_path):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.files = files
        self._truth_path = truth_path

    def truth(self):
        with open(self._truth_path) as f:
            return json.load(f)

    def stats(self):
        return pstats.Stats(self.files["output"])

    def collapsed(self):
        return parse_collapsed(self.files["collapsed"])


def scratch_directory():
    """A temporary directory, removed when the test process exits."""
    path = tempfile.mkdtemp(prefix="pyhooks-prof-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def run_profiled(script, options=None, args=(), directory=None, env=None,
                 truth_clock="wall", check=True):
    """Runs `script` (a path, or a name in workloads/) under the profiler with
    explicit output paths in `directory` unless `options` says otherwise."""
    script = Path(script)
    if not script.is_absolute():
        script = WORKLOADS / script
    directory = Path(directory or scratch_directory())
    base = directory / "profile"
    opts = {"output": str(base) + ".prof", "collapsed": str(base) + ".collapsed",
            "svg": str(base) + ".svg",
            "speedscope": str(base) + ".speedscope.json", "summary": 0}
    opts.update(options or {})
    child_env = dict(os.environ)
    child_env.update(env or {})
    truth_path = directory / "truth.json"
    child_env["PROFILER_TRUTH"] = str(truth_path)
    child_env["PROFILER_TRUTH_CLOCK"] = truth_clock
    proc = run_under_plugins(script, [("profiler", opts)], args,
                             cwd=directory, env=child_env, use_cli=USE_CLI,
                             timeout=TIMEOUT)
    if check and proc.returncode != 0:
        raise AssertionError("profiled run of %s failed (%d):\n%s\n%s"
                             % (script.name, proc.returncode, proc.stdout,
                                proc.stderr))
    files = {key: opts[key]
             for key in ("output", "collapsed", "svg", "speedscope")}
    return Run(proc, files, truth_path)


def run_plain(script, args=(), directory=None):
    script = Path(script)
    if not script.is_absolute():
        script = WORKLOADS / script
    env = dict(os.environ)
    env.pop("PROFILER_TRUTH", None)
    return subprocess.run([PYTHON, str(script), *map(str, args)],
                          cwd=str(directory or HERE), env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)


def entry(stats, funcname, file_part=None):
    """(key, (cc, nc, tt, ct, callers)) of the one function named `funcname`
    (in a file whose name contains `file_part`, if given)."""
    found = [(key, value) for key, value in stats.stats.items()
             if key[2] == funcname and (file_part is None or file_part in key[0])]
    if len(found) != 1:
        raise AssertionError("expected one entry for %s in %s, found %d: %r"
                             % (funcname, file_part, len(found),
                                [key for key, _ in found]))
    return found[0]


def caller_edge(stats, callee, caller, file_part):
    """(nc, cc, tt, ct) of the edge caller -> callee."""
    _, (_, _, _, _, callers) = entry(stats, callee, file_part)
    edges = [value for key, value in callers.items()
             if key[2] == caller and file_part in key[0]]
    if len(edges) != 1:
        raise AssertionError("expected one edge %s -> %s, found %r"
                             % (caller, callee, list(callers)))
    return edges[0]


def parse_collapsed(path):
    """[(frames, count)] of a collapsed-stacks file."""
    lines = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            stack, _, count = line.rpartition(" ")
            if not stack or not count.isdigit():
                raise AssertionError("%s:%d is not 'frames count': %r"
                                     % (path, number, line))
            lines.append((stack.split(";"), int(count)))
    return lines


def check_times(pairs, tolerance=0.10):
    """pairs: [(what, measured_s, truth_s)]; raises TimingMismatch.
    PYHOOKS_PROFILER_TESTS_VERBOSE=1 prints every comparison."""
    if os.environ.get("PYHOOKS_PROFILER_TESTS_VERBOSE") == "1":
        for what, measured, truth in pairs:
            sys.stderr.write("  %-28s %+6.2f%%\n"
                             % (what, 100.0 * (measured - truth) / truth))
    bad = ["%s: measured %.4f s, truth %.4f s (%+.1f%%)"
           % (what, measured, truth, 100.0 * (measured - truth) / truth)
           for what, measured, truth in pairs
           if abs(measured - truth) > tolerance * truth]
    if bad:
        raise TimingMismatch("; ".join(bad))


def with_retries(check, attempts=3):
    """Runs check() (which does its own profiled run) until its timing holds;
    count mismatches fail at once. A noisy 2-core machine can stall a child
    for tens of milliseconds, rarely twice in a row."""
    for attempt in range(attempts):
        try:
            return check()
        except TimingMismatch as error:
            if attempt == attempts - 1:
                raise
            sys.stderr.write("timing retry after: %s\n" % error)

