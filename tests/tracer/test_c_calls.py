"""C-call slices (docs/tracer.md, "C calls"): on 3.12+ with c_calls = true
every builtin or other C function call is a slice named as cProfile names
it, nested in its caller, with the Python frames it runs inside it; false
leaves them out and subscribes no sys.monitoring CALL. The default is
kCCallsByDefault (plugins/tracer/tracer_options.h, read from there so
that flipping it flips what the default test expects). On 3.11 there are
none: asking stops the run before the program."""

import collections
import os
import re
import sys
import unittest
from pathlib import Path

from tracer_support import have_protobuf, run_traced, short

FORMATS = [".perfetto-trace", ".json"]
C_NAMES = {"<built-in method builtins.len>",
           "<built-in method builtins.sorted>",
           "<method 'sort' of 'list' objects>",
           "<built-in method builtins.divmod>",
           "<built-in method time.sleep>"}


def default_on():
    header = (Path(__file__).resolve().parents[2] / "plugins" / "tracer" /
              "tracer_options.h").read_text()
    found = re.search(r"constexpr bool kCCallsByDefault = (true|false);",
                      header)
    assert found, "kCCallsByDefault not found in tracer_options.h"
    return found.group(1) == "true"


def c_slices(trace):
    """C-call slices: cProfile's "<...>" names, with no "(file:line)"."""
    return [s for s in trace["slices"] if s["name"].startswith("<")
            and not re.search(r" \(.*:\d+\)$", s["name"])]


def under_work(trace):
    """(name, parent) of the C slices that work() (or key) made."""
    return collections.Counter(
        (s["name"], short(s["parent"]))
        for s in c_slices(trace)
        if s["parent"] and short(s["parent"]) in ("work",))


@unittest.skipUnless(have_protobuf(), "needs protoc and python3-protobuf")
@unittest.skipIf(sys.version_info < (3, 12), "C-call events are 3.12+")
class CCalls(unittest.TestCase):
    def test_c_calls_true_gives_cprofiles_names_nested_in_callers(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                trace = run_traced("c_calls.py", {"c_calls": True},
                                   suffix=suffix).trace()
                self.assertEqual(under_work(trace),
                                 {(name, "work"): 1 for name in C_NAMES})
                # sorted(key=key) runs key five times inside its slice.
                keys = [s for s in trace["slices"]
                        if short(s["name"]) == "key"]
                self.assertEqual(len(keys), 5)
                self.assertEqual(
                    {s["parent"] for s in keys},
                    {"<built-in method builtins.sorted>"})
                [divmod_slice] = [s for s in c_slices(trace) if s["name"] ==
                                  "<built-in method builtins.divmod>"]
                self.assertTrue(divmod_slice["args"].get("left_by_exception"))
                [sleep] = [s for s in c_slices(trace)
                           if s["name"] == "<built-in method time.sleep>"]
                self.assertGreaterEqual(sleep["end"] - sleep["begin"],
                                        10_000_000)
                [work] = [s for s in trace["slices"]
                          if short(s["name"]) == "work"]
                self.assertLessEqual(work["begin"], sleep["begin"])
                self.assertLessEqual(sleep["end"], work["end"])

    def test_c_calls_false_leaves_them_out(self):
        trace = run_traced("c_calls.py", {"c_calls": False}).trace()
        self.assertEqual(c_slices(trace), [])
        self.assertEqual(len([s for s in trace["slices"]
                              if short(s["name"]) == "key"]), 5)

    def test_false_subscribes_no_call_so_the_programs_profilers_work(self):
        run = run_traced("own_profile.py", {"c_calls": False})
        self.assertEqual(run.stdout.splitlines(),
                         ["CALL not subscribed", "profile ok True",
                          "cProfile ok True"], run.stderr)

    def test_true_subscribes_call(self):
        # What the program's own profilers then see is CPython 3.12's
        # business (docs/tracer.md, "C calls"); only the subscription is
        # checked here.
        run = run_traced("own_profile.py", {"c_calls": True}, check=False)
        self.assertEqual(run.stdout.splitlines()[:1], ["CALL subscribed"],
                         run.stderr)

    def test_default_is_kCCallsByDefault(self):
        run = run_traced("own_profile.py", check=not default_on())
        self.assertEqual(run.stdout.splitlines()[:1],
                         ["CALL subscribed" if default_on()
                          else "CALL not subscribed"], run.stderr)
        trace = run_traced("c_calls.py").trace()
        self.assertEqual(bool(under_work(trace)), default_on())

    def test_filtered_code_makes_no_c_slices(self):
        trace = run_traced("c_calls.py", {"c_calls": True,
                                          "exclude": ["c_calls.py"]}).trace()
        self.assertEqual(under_work(trace), {})
        self.assertFalse([s for s in trace["slices"]
                          if "c_calls.py" in s["name"]])


@unittest.skipIf(sys.version_info >= (3, 12), "3.11 only")
class CCallsOn311(unittest.TestCase):
    def test_asking_stops_the_run_before_the_program(self):
        run = run_traced("c_calls.py", {"c_calls": True}, check=False)
        self.assertNotEqual(run.returncode, 0, run.stderr)
        self.assertIn("option c_calls=true needs CPython 3.12 or newer",
                      run.stderr)
        self.assertFalse(os.path.exists(run.path))

    @unittest.skipUnless(have_protobuf(), "needs python3-protobuf")
    def test_default_and_false_run_without_them(self):
        for options in ({}, {"c_calls": False}):
            with self.subTest(options=options):
                trace = run_traced("c_calls.py", options).trace()
                self.assertEqual(c_slices(trace), [])
                self.assertEqual(len([s for s in trace["slices"]
                                      if short(s["name"]) == "key"]), 5)


if __name__ == "__main__":
    unittest.main()
