"""Helpers for the JIT tests: run a script under plain python and under the
staged `pyhooks run -p jit` on the interpreter ctest chose, and compare.

The JIT runs with threshold=0 (a function is compiled at its first call)
and leaves=true (functions that neither loop nor call compiled functions
compile too: most operator tests are such leaves) unless a test asks
otherwise (test_declined.py runs the defaults), and with stats on (its
report at exit on stderr, docs/jit.md), so that a test can check that code
did run compiled:
a differential test of code the JIT declined would prove nothing.
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = Path(os.environ.get("PYHOOKS_SOURCE_DIR", HERE.parent.parent))
EXAMPLES = SOURCE / "examples"
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
STAGE = os.environ.get("PYHOOKS_STAGE", "")
PYHOOKS = os.path.join(STAGE, "bin", "pyhooks")
TIMEOUT = 120


def environment():
    env = dict(os.environ)
    for name in ("PYHOOKS_RUN_SPEC", "PYHOOKS_CONFIG", "PYHOOKS_ENABLE",
                 "PYHOOKS_DISABLE", "PYHOOKS_VERBOSE"):
        env.pop(name, None)
    return env


def run(cmd, cwd=None, stdin="", timeout=TIMEOUT):
    return subprocess.run(cmd, cwd=cwd or str(HERE), env=environment(),
                          input=stdin, capture_output=True, text=True,
                          timeout=timeout)


def plain(script, *args, python_options=(), **kwargs):
    return run([PYTHON, *python_options, str(script), *map(str, args)],
               **kwargs)


def jit_options(options):
    merged = {"threshold": 0, "stats": True, "leaves": True}
    merged.update(options or {})
    out = []
    for key, value in merged.items():
        if value is None:  # the JIT's default
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        out += ["-o", "jit.%s=%s" % (key, value)]
    return out


def under_pyhooks(script, *args, plugins=(), options=None, python_options=(),
                  jit=True, **kwargs):
    """`pyhooks run --python PYTHON [-p jit -o jit.threshold=1 ...]
    [plugins] [python_options] script args`; `plugins` is a list of
    command-line words (-p NAME -o NAME.KEY=VALUE ...)."""
    cmd = [PYHOOKS, "run", "--python", PYTHON]
    if jit:
        cmd += ["-p", "jit", *jit_options(options)]
    cmd += [*plugins, *python_options, str(script), *map(str, args)]
    return run(cmd, **kwargs)


COUNTS_LINE = re.compile(
    r"^pyhooks jit: (?P<compiled>\d+) compiled, .*?"
    r"(?P<native>\d+) native entries, (?P<deopts>\d+) deopts", re.M)
COMPILE_LINE = re.compile(
    r"^pyhooks jit: compile time (?P<total>[0-9.]+) ms total, "
    r"(?P<mean>[0-9.]+) ms mean, (?P<max>[0-9.]+) ms max", re.M)


def jit_stats(stderr):
    """The JIT's stats report as numbers: compiled units, native entries,
    deopts, compile ms (total, mean, max); None without a report."""
    counts = COUNTS_LINE.search(stderr)
    if not counts:
        return None
    stats = {key: int(counts.group(key))
             for key in ("compiled", "native", "deopts")}
    times = COMPILE_LINE.search(stderr)
    for key in ("total", "mean", "max"):
        stats["compile_ms_" + key] = float(times.group(key)) if times else 0.0
    return stats


class JitTest(unittest.TestCase):
    """Fails (never skips) when the tree under test has no JIT plugin."""

    @classmethod
    def setUpClass(cls):
        if not os.access(PYHOOKS, os.X_OK):
            raise AssertionError("%s is missing: run `make build`" % PYHOOKS)

    def scratch(self):
        directory = tempfile.TemporaryDirectory(prefix="pyhooks-jit-")
        self.addCleanup(directory.cleanup)
        return Path(directory.name)

    def write(self, name, text):
        path = self.scratch() / name
        path.write_text(text)
        return path

    def assertSameRun(self, expected, actual, what):
        """The same exit status, stdout and (for a failure) last stderr
        line as plain python."""
        if expected.returncode != actual.returncode or \
                expected.stdout != actual.stdout:
            self.fail("%s: the JIT run differs from plain python\n"
                      "plain (rc %d):\n%s\njit (rc %d):\n%s\njit stderr:\n%s"
                      % (what, expected.returncode, expected.stdout[-3000:],
                         actual.returncode, actual.stdout[-3000:],
                         actual.stderr[-3000:]))
        if expected.returncode != 0:
            self.assertEqual(expected.stderr.strip().splitlines()[-1:],
                             [line for line in actual.stderr.strip(
                             ).splitlines() if not line.startswith(
                                 "pyhooks jit:")][-1:], what)

    def assertSameLines(self, expected, actual):
        """stdout as plain python's, or the first lines that differ, side
        by side."""
        if actual.stdout == expected.stdout:
            return
        pairs = zip(expected.stdout.splitlines(), actual.stdout.splitlines())
        wrong = [(want, got) for want, got in pairs if want != got]
        self.fail("%d lines differ from plain python:\n%s\nstderr:\n%s"
                  % (len(wrong), "\n".join(
                      "plain: %s\njit:   %s" % pair for pair in wrong[:12]),
                     actual.stderr[-3000:]))

    def assertNoneDeclined(self, run, names):
        """None of the functions `names` is in the stats' decline list (a
        decline would make the lines about it prove nothing)."""
        declined = re.findall(r"^pyhooks jit: declined (\S+) .*$",
                              run.stderr, re.M)
        for name in names:
            self.assertNotIn(name, declined, run.stderr[-3000:])

    def assertRanCompiled(self, run, what):
        """The JIT compiled code and entered it natively in `run`."""
        stats = jit_stats(run.stderr)
        self.assertIsNotNone(stats, "%s: no JIT stats report on stderr:\n%s"
                             % (what, run.stderr[-2000:]))
        self.assertGreater(stats["compiled"], 0, "%s: nothing compiled:\n%s"
                           % (what, run.stderr[-2000:]))
        self.assertGreater(stats["native"], 0, "%s: no native entry:\n%s"
                           % (what, run.stderr[-2000:]))
        return stats
