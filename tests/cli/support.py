"""Shared helpers for the `pyhooks` CLI tests.

The tests run the installed tree ($PYHOOKS_STAGE/bin/pyhooks) on the
interpreter ctest chose ($PYHOOKS_TEST_PYTHON) and compare it with that same
interpreter run directly. Test plugins come from $PYHOOKS_TEST_PLUGIN_DIR.
"""

import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
BAD_CONFIGS = os.path.join(HERE, "bad_configs")
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON", sys.executable)
STAGE = os.environ.get("PYHOOKS_STAGE", "")
PYHOOKS = os.path.join(STAGE, "bin", "pyhooks")
PLUGIN_DIR = os.environ.get("PYHOOKS_TEST_PLUGIN_DIR", "")
RECORDER = os.path.join(PLUGIN_DIR, "pyhooks_test_recorder.so")
TIMEOUT = 60


def environment(**changes):
    """The environment both pyhooks and plain python run in: the caller's,
    without pyhooks settings, with the test plugins in the search path."""
    env = dict(os.environ)
    for name in ("PYHOOKS_RUN_SPEC", "PYHOOKS_CONFIG", "PYHOOKS_ENABLE",
                 "PYHOOKS_DISABLE", "PYHOOKS_EVENT_SOURCE", "PYHOOKS_VERBOSE"):
        env.pop(name, None)
    env["PYHOOKS_PLUGIN_PATH"] = PLUGIN_DIR
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args, cwd=PROGRAMS, env=None, stdin=None):
    """Runs a command to completion; text mode, stdin from `stdin` (text or
    None for /dev/null)."""
    return subprocess.run(
        args, cwd=cwd, env=env if env is not None else environment(),
        input=stdin if stdin is not None else "",
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        timeout=TIMEOUT)


def pyhooks(*args, **kwargs):
    return run([PYHOOKS, *args], **kwargs)


def pyhooks_run(*args, options=("-p", "recorder"), **kwargs):
    """`pyhooks run --python PYTHON <options> <args>`."""
    return run([PYHOOKS, "run", "--python", PYTHON, *options, *args], **kwargs)


def plain(*args, **kwargs):
    return run([PYTHON, *args], **kwargs)


class TempDir:
    """A scratch directory, removed afterwards."""

    def __enter__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="pyhooks-cli-")
        return self._dir.name

    def __exit__(self, *exc):
        self._dir.cleanup()


def write(path, text):
    with open(path, "w") as out:
        out.write(text)
    return path


class StageTest(unittest.TestCase):
    """Skips nothing: fails clearly when the tree under test is missing."""

    @classmethod
    def setUpClass(cls):
        if not os.access(PYHOOKS, os.X_OK):
            raise AssertionError(
                "%s is missing: run `make build` (PYHOOKS_STAGE=%r)" % (PYHOOKS, STAGE))
        if not os.path.isfile(RECORDER):
            raise AssertionError("test plugin %s is missing" % RECORDER)
