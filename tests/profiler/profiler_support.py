"""Helpers for the profiler tests: run a workload under the profiler in a
child process, then read what it wrote.

By default the child is `python -c BOOT script args`, where BOOT activates
the profiler with pyhooks.load() and runs the script as `python script.py`
would (sys.argv, sys.path[0], __main__). With PYHOOKS_PROFILER_TESTS_CLI=1
the child is `pyhooks run --python PYTHON -p profiler -o profiler.KEY=VALUE
... script args` instead (the staged CLI), so the same tests cover the CLI.
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

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "workloads"
STAGE = os.environ.get("PYHOOKS_STAGE", "")
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
USE_CLI = os.environ.get("PYHOOKS_PROFILER_TESTS_CLI") == "1"
TIMEOUT = 120

BOOT = r"""
import json, os, runpy, sys
import pyhooks
pyhooks.load("profiler",
             options=json.loads(os.environ.pop("PYHOOKS_PROFILER_TEST_OPTIONS")))
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(os.path.abspath(sys.argv[0]))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


class TimingMismatch(AssertionError):
    """A time outside its tolerance (retried; counts never are)."""


def option_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(value)
    return str(value)


def command(script, options, args=()):
    if USE_CLI:
        cli = os.path.join(STAGE, "bin", "pyhooks")
        cmd = [cli, "run", "--python", PYTHON, "-p", "profiler"]
        for key, value in options.items():
            cmd += ["-o", "profiler.%s=%s" % (key, option_text(value))]
        return cmd + [str(script), *map(str, args)]
    return [PYTHON, "-c", BOOT, str(script), *map(str, args)]


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
    child_env["PYHOOKS_PROFILER_TEST_OPTIONS"] = json.dumps(opts)
    proc = subprocess.run(command(script, opts, args), cwd=str(directory),
                          env=child_env, capture_output=True, text=True,
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

