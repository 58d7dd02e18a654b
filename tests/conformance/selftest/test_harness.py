"""Tests of the conformance runner itself (no regrtest run): how it reads
regrtest's progress lines and JUnit XML, compares two runs, and matches
differences against expectations, stale ones included."""

import os
import sys
import tempfile
import textwrap
import types
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from harness import SetupError, regrtest  # noqa: E402
from harness.compare import Difference  # noqa: E402
from harness.expectations import Expectation, Match, load  # noqa: E402
from harness.interpreter import normalize, selector_matches  # noqa: E402


def interpreter(version, flavour=""):
    return types.SimpleNamespace(version=version, flavour=flavour)


def module(name, status="passed", detail="passed", **cases):
    result = regrtest.ModuleResult(name, status, detail)
    result.cases = {"test.%s.T.%s" % (name, k): v for k, v in cases.items()}
    return result


class ProgressLines(unittest.TestCase):
    def parse(self, line, name="test_x"):
        run = regrtest.Run("plain", [name])
        self.assertTrue(regrtest._take_progress(run, line), line)
        result = run.modules[name]
        return result.status, result.detail

    def test_every_wording(self):
        cases = {
            # 3.11.2 (old libregrtest) and 3.11.7+ (new) wordings
            "0:00:00 load avg: 5.01 [1/4] test_x passed": ("passed", "passed"),
            "0:01:24 load avg: 2.74 [ 4/40/1] test.test_x passed (1 min 24 sec)":
                ("passed", "passed"),
            "[21/63/1] test.test_x failed (2 errors, 1 failure)":
                ("failed", "failed (2 errors, 1 failure)"),
            "[2/9] test_x failed (env changed)": ("env-changed", "failed (env changed)"),
            "[3/9] test_x skipped (resource denied)":
                ("resource-denied", "skipped (resource denied)"),
            "[3/9] test_x skipped -- running: test_y (31.0 sec)": ("skipped", "skipped"),
            "[4/9] test_x ran no tests": ("no-tests", "ran no tests"),
            "[140/470] test.test_x failed (1 error) (40.1 sec) -- running (1): "
            "test.test_socket (57.9 sec)": ("failed", "failed (1 error)"),
            "[5/9] test_x crashed (Exit code -11)": ("crashed", "crashed (Exit code -11)"),
            "[5/9] test.test_x worker non-zero exit code (Exit code -11 (SIGSEGV))":
                ("crashed", "worker non-zero exit code (Exit code -11 (SIGSEGV))"),
            "[6/9] test_x timed out (10 min)": ("timeout", "timed out"),
        }
        for line, expected in cases.items():
            self.assertEqual(self.parse(line), expected, line)

    def test_other_lines_are_not_progress(self):
        run = regrtest.Run("plain", ["test_x"])
        for line in ("test_x skipped -- No module named 'winreg'",
                     "0:00:30 load avg: 2.0 running: test_x (30.2 sec)",
                     "[1/2] test_unknown passed"):
            self.assertFalse(regrtest._take_progress(run, line), line)
        self.assertEqual(run.modules["test_x"].status, "missing")


class JUnit(unittest.TestCase):
    PROGRESS = textwrap.dedent("""\
        [1/6] test_pyhooks_sanity passed
        [2/6] test.test_skipped skipped
        [3/6] test.test_trace failed (1 failure)
        [4/6] test.test_extcall passed
        [5/6] test.test_datetime passed
        [6/6] test.test_asyncio.test_tasks failed (1 error)
        """)
    XML = textwrap.dedent("""\
        <testsuites tests="5" errors="1" failures="1">
          <testsuite tests="1"><testcase name="test_pyhooks_sanity.P.test_record"/></testsuite>
          <testsuite tests="1"><testcase name="test.test_pprint.Q.test_basic"/></testsuite>
          <testsuite tests="2">
            <testcase name="test.test_trace.T.test_a"><failure message="AssertionError: 1 != 2&#10;more"/></testcase>
            <testcase name="test.test_trace.T.test_b"><skipped>why</skipped></testcase>
          </testsuite>
          <testsuite tests="1"><testcase name="test.test_extcall"/></testsuite>
          <testsuite tests="1"><testcase name="test.datetimetester.Fast.test_d"/></testsuite>
          <testsuite tests="1"><testcase name="test.datetimetester.Pure.test_d"/></testsuite>
          <testsuite tests="1"><testcase name="test.test_asyncio.test_tasks.T.test_c"><error message="E"/></testcase></testsuite>
        </testsuites>
        """)

    def test_cases_go_to_their_modules(self):
        names = ["test_pyhooks_sanity", "test_skipped", "test_trace",
                 "test_extcall", "test_datetime", "test_asyncio",
                 "test_asyncio.test_tasks"]
        run = regrtest.Run("plain", names)
        for line in self.PROGRESS.splitlines():
            regrtest._take_progress(run, line)
        with tempfile.NamedTemporaryFile("w", suffix=".xml") as xml:
            xml.write(self.XML)
            xml.flush()
            regrtest._take_junit(run, xml.name)
        trace = run.modules["test_trace"]
        self.assertEqual(trace.cases, {
            "test.test_pprint.Q.test_basic": "passed",  # run by test_trace
            "test.test_trace.T.test_a": "failure",
            "test.test_trace.T.test_b": "skipped"})
        self.assertEqual(trace.messages["test.test_trace.T.test_a"],
                         "AssertionError: 1 != 2")
        self.assertEqual(run.modules["test_extcall"].cases, {"test.test_extcall": "passed"})
        self.assertEqual(run.modules["test_datetime"].cases, {
            "test.datetimetester.Fast.test_d": "passed",
            "test.datetimetester.Pure.test_d": "passed"})
        self.assertEqual(run.modules["test_asyncio.test_tasks"].cases,
                         {"test.test_asyncio.test_tasks.T.test_c": "error"})
        self.assertEqual(run.modules["test_asyncio"].cases, {})
        self.assertEqual(run.modules["test_skipped"].cases, {})
        self.assertEqual(len(run.modules["test_pyhooks_sanity"].cases), 1)
        self.assertEqual(run.unattributed, 0)


class Expectations(unittest.TestCase):
    def entry(self, **table):
        table.setdefault("python", "*")
        table.setdefault("module", "test_x")
        table.setdefault("reason", "because")
        return Expectation(1, table, "expected.toml")

    def test_same_is_same(self):
        difference = Difference("test_x", module("test_x", a="passed"),
                                module("test_x", a="passed"))
        self.assertFalse(difference)
        match = Match(difference, [])
        self.assertTrue(match.explained)
        self.assertEqual(match.stale, [])

    def test_test_globs_explain_failing_cases_only(self):
        plain = module("test_x", a="passed", b="passed")
        hooked = module("test_x", "failed", "failed (2 failures)", a="failure", b="failure")
        difference = Difference("test_x", plain, hooked)
        self.assertTrue(difference.status)
        self.assertTrue(Match(difference, [self.entry(tests=["*.T.*"])]).explained)
        partial = Match(difference, [self.entry(tests=["*.T.a"])])
        self.assertFalse(partial.explained)
        self.assertEqual(partial.unexplained, ["test.test_x.T.b"])

    def test_a_crash_needs_a_whole_module_entry(self):
        plain = module("test_x", a="passed")
        crashed = regrtest.ModuleResult("test_x", "crashed", "crashed (Exit code -11)")
        difference = Difference("test_x", plain, crashed)
        self.assertFalse(Match(difference, [self.entry(tests=["*"])]).explained)
        self.assertTrue(Match(difference, [self.entry()]).explained)

    def test_stale_entries_and_globs(self):
        plain = module("test_x", a="passed", b="passed")
        hooked = module("test_x", "failed", "failed (1 failure)", a="failure", b="passed")
        difference = Difference("test_x", plain, hooked)
        match = Match(difference, [self.entry(tests=["*.T.a", "*.T.gone"])])
        self.assertTrue(match.explained)
        self.assertEqual([why for _, why in match.stale], ["*.T.gone no longer differs"])
        same = Difference("test_x", plain, plain)
        self.assertEqual(len(Match(same, [self.entry()]).stale), 1)
        self.assertEqual(Match(same, [self.entry(sometimes=True)]).stale, [])

    def test_selectors(self):
        debian = interpreter("3.11.2", "debian")
        self.assertTrue(selector_matches("3.11", debian))
        self.assertTrue(selector_matches("3.11-debian", debian))
        self.assertTrue(selector_matches("3.11.2-debian", debian))
        self.assertFalse(selector_matches("3.11.7", debian))
        self.assertFalse(selector_matches("3.11-debian", interpreter("3.11.7")))
        self.assertFalse(selector_matches("3.1", interpreter("3.13.0")))
        self.assertTrue(selector_matches("*", interpreter("3.13.0")))

    def test_bad_entries_are_refused(self):
        for table in ({"python": "3.12", "module": "test_x"},
                      {"python": "3.12", "module": "test_x", "reason": "r", "tests": "a"},
                      {"python": "3.12", "module": "test_x", "reason": "r", "test": ["a"]}):
            with self.assertRaises(SetupError):
                Expectation(1, table, "expected.toml")

    def test_the_shipped_file_loads(self):
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        self.assertTrue(load(os.path.join(here, "expected.toml")))


class Names(unittest.TestCase):
    def test_normalize(self):
        self.assertEqual(normalize("test.test_asyncio.test_tasks"), "test_asyncio.test_tasks")
        self.assertEqual(normalize("test_sys"), "test_sys")


if __name__ == "__main__":
    unittest.main()
