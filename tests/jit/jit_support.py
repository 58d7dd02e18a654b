"""Helpers for the JIT tests: run a script under plain python and under the
staged `pyhooks run -p jit` on the interpreter ctest chose, and compare.

The JIT runs with threshold=1 (every function is compiled at its first
call) unless a test asks otherwise, and with stats on, so that a test can
check that the code it meant to compile did compile: a differential test
of code the JIT declined would prove nothing.
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
    merged = {"threshold": 1}
    merged.update(options or {})
    out = []
    for key, value in merged.items():
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


STATS_LINE = re.compile(r"^pyhooks jit: (?P<key>[a-z_ ]+?): (?P<value>.*)$")


def compiled_names(stderr):
    """The qualified names the JIT's stats report says it compiled."""
    names = set()
    for line in stderr.splitlines():
        match = re.match(r"^pyhooks jit: +compiled (\S+)", line)
        if match:
            names.add(match.group(1))
    return names


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
                             actual.stderr.strip().splitlines()[-1:], what)
