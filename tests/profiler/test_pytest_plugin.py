"""pytest -p pyhooks.pytest (docs/profiler.md, "Under pytest and IPython"):
the named plugins are active while the tests run, once per session or per
test; options as `pyhooks run -o`; an unknown plugin or a bad option stops
pytest before any test, as a usage error (exit 4)."""

import os
import pstats
import subprocess
import tempfile
import unittest

from front_end_support import front_end

PYTEST = front_end("pytest")

TESTS = '''
import os

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

def test_one():
    open("ran", "a").write("one\\n")
    assert fib(10) == 55

def test_two():
    open("ran", "a").write("two\\n")
    assert fib(10) == 55
'''
FIB_10_CALLS = 177
RUN_PYTEST = "import pytest; sys.exit(pytest.console_main())"


def fib_calls(path):
    stats = pstats.Stats(path)
    [value] = [v for k, v in stats.stats.items()
               if k[0].endswith("test_sample.py") and k[2] == "fib"]
    return value[1]   # all calls, recursive ones too


@unittest.skipIf(PYTEST.python is None, PYTEST.why)
class PytestPlugin(unittest.TestCase):
    def setUp(self):
        scratch = tempfile.TemporaryDirectory(prefix="pyhooks-pytest-")
        self.addCleanup(scratch.cleanup)
        self.dir = scratch.name
        with open(os.path.join(self.dir, "test_sample.py"), "w") as out:
            out.write(TESTS)

    def pytest(self, *args):
        return subprocess.run(
            [PYTEST.python, "-c", PYTEST.prologue() + RUN_PYTEST, "-q",
             "-p", "no:cacheprovider", "-p", "pyhooks.pytest", *args,
             "test_sample.py"],
            cwd=self.dir, env=PYTEST.environment(self.dir),
            capture_output=True, text=True, timeout=120)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def ran(self):
        if not os.path.exists(self.path("ran")):
            return []
        with open(self.path("ran")) as ran:
            return ran.read().split()

    def test_session_profile_with_options(self):
        done = self.pytest("--pyhooks=profiler",
                           "--pyhooks-option", "profiler.output=session.prof",
                           "--pyhooks-option", "profiler.summary=5")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("2 passed", done.stdout)
        self.assertEqual(fib_calls(self.path("session.prof")),
                         2 * FIB_10_CALLS)
        # The summary reaches the terminal (pytest's capture is off then),
        # with five rows per table as asked.
        self.assertIn("pyhooks profiler:", done.stderr)
        self.assertIn("top 5 by own time", done.stderr)
        self.assertIn("wrote session.prof", done.stderr)

    def test_per_test_one_profile_each(self):
        done = self.pytest("--pyhooks=profiler", "--pyhooks-per-test",
                           "--pyhooks-option", "profiler.summary=0")
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        runs = sorted(name for name in os.listdir(self.path("pyhooks-profile"))
                      if name.endswith(".prof"))
        # Where the docs say outputs go when none is named.
        self.assertEqual(runs, ["run-1.prof", "run-2.prof"])
        self.assertTrue(os.path.exists(
            self.path("pyhooks-profile", "run-2.svg")))
        for run in runs:
            self.assertEqual(fib_calls(self.path("pyhooks-profile", run)),
                             FIB_10_CALLS)

    def test_unknown_plugin_stops_before_the_tests(self):
        # (An option the plugin refuses takes the same path, configure()
        # raising: test_ipython_magic checks profiler.clock=fast.)
        done = self.pytest("--pyhooks=profiler,nosuchplugin")
        self.assertEqual(done.returncode, 4, done.stdout + done.stderr)
        [line] = [line for line in done.stderr.splitlines()
                  if "nosuchplugin" in line]
        self.assertIn("pyhooks:", line)
        self.assertEqual(self.ran(), [])
        self.assertFalse(os.path.exists(self.path("pyhooks-profile")))

    def test_without_pyhooks_nothing_is_loaded(self):
        done = self.pytest()
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertEqual(self.ran(), ["one", "two"])
        self.assertFalse(os.path.exists(self.path("pyhooks-profile")))
        done = self.pytest("--pyhooks-option", "profiler.summary=1")
        self.assertEqual(done.returncode, 4)
        self.assertIn("need --pyhooks=PLUGINS", done.stderr)


class OptionText(unittest.TestCase):
    """How --pyhooks / --pyhooks-option (and the magic's -p / -o) are read,
    in-process: no pytest needed."""

    def test_names_and_options(self):
        from pyhooks._plugin_session import parse_options, split_names
        names = split_names(["profiler,tracer", "profiler", " jit "])
        self.assertEqual(names, ["profiler", "tracer", "jit"])
        self.assertEqual(
            parse_options(["profiler.summary=5", "profiler.exclude=a,b",
                           "tracer.output=x=y.json"], names, "-o"),
            {"profiler": {"summary": "5", "exclude": "a,b"},
             "tracer": {"output": "x=y.json"}})

    def test_bad_option_text_names_the_flag_and_the_form(self):
        from pyhooks._plugin_session import SessionError, parse_options
        for spec, says in (("summary=5", "expected PLUGIN.KEY=VALUE"),
                           ("profiler.summary", "expected PLUGIN.KEY=VALUE"),
                           (".x=1", "expected PLUGIN.KEY=VALUE"),
                           ("tracer.x=1", "plugin 'tracer' is not among")):
            with self.subTest(spec=spec):
                with self.assertRaises(SessionError) as raised:
                    parse_options([spec], ["profiler"], "--pyhooks-option")
                self.assertIn(says, str(raised.exception))
                self.assertTrue(str(raised.exception).startswith(
                    "--pyhooks-option %r" % spec))

    def test_a_plugin_already_active_is_refused(self):
        # pytest run under `pyhooks run -p profiler`, say: one profiler.
        import pyhooks
        from pyhooks._plugin_session import PluginSession, SessionError
        quiet = {"output": "", "svg": "", "speedscope": "", "summary": "0"}
        pyhooks.load("profiler", options=quiet)
        try:
            with self.assertRaises(SessionError) as raised:
                PluginSession(["profiler"], {"profiler": quiet}).start()
            self.assertIn("'profiler' is already active",
                          str(raised.exception))
        finally:
            pyhooks.unload("profiler")


if __name__ == "__main__":
    unittest.main()
