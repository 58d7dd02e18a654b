"""Argument and return-value capture (docs/tracer.md, "Captured values"):
capture_args puts each parameter's repr on its call's slice, capture_return
the value returned (or yielded), cut to repr_limit characters, in both
formats; a failing repr is recorded as such; the Python code a repr runs is
not traced; off (the default), repr is never called; the program's output,
handled exceptions and final traceback are plain python's either way."""

import subprocess
import sys
import unittest

from tracer_support import (PYTHON, WORKLOADS, have_protobuf, own,
                            run_traced, short)

FORMATS = [".perfetto-trace", ".json"]
BOTH = {"capture_args": True, "capture_return": True, "repr_limit": 10}


def flat(args, prefix=""):
    """JSON's nested {"args": {"a": ...}} as Perfetto's "args.a"."""
    out = {}
    for key, value in args.items():
        if isinstance(value, dict):
            out.update(flat(value, prefix + key + "."))
        else:
            out[prefix + key] = value
    return out


def captured(trace):
    """{short name: [flattened args of each slice]} for the workload."""
    out = {}
    for s in own(trace, "capture.py"):
        out.setdefault(short(s["name"]), []).append(flat(s["args"]))
    return out


def plain_run():
    return subprocess.run([PYTHON, str(WORKLOADS / "capture.py")],
                          capture_output=True, text=True, timeout=60)


@unittest.skipUnless(have_protobuf(), "needs protoc and python3-protobuf")
class Capture(unittest.TestCase):
    maxDiff = None

    def test_args_and_return_values_in_both_formats(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                run = run_traced("capture.py", BOTH, suffix=suffix,
                                 check=False)
                got = captured(run.trace())
                # Positional and keyword-only parameters; not *rest/**extra.
                self.assertEqual(got["add"], [{"args.a": "1", "args.b": "2",
                                               "args.scale": "2",
                                               "return_value": "6"}])
                # repr_limit=10 code points of "'ééé…'", never cut inside
                # a character; the return value the same.
                cut = "'" + "\u00e9" * 9 + "..."
                self.assertEqual(got["text"], [{"args.s": cut,
                                                "return_value": cut}])
                self.assertEqual(got["takes"], [
                    {"args.x": "<repr failed: TypeError>",
                     "return_value": "None"},
                    {"args.x": "Counted(h)", "return_value": "None"},
                    {"args.x": "Quiet()", "return_value": "None"}])
                # A generator: the first run has the argument and what it
                # yielded, the last one what it returned.
                self.assertEqual(got["gen"], [{"args.n": "7", "yielded": "7"},
                                              {"return_value": "None"}])
                [fails] = got["fails"]
                self.assertEqual(fails["args.x"], "<repr failed: TypeError>")
                self.assertTrue(fails["left_by_exception"])
                self.assertNotIn("return_value", fails)
                # What the reprs ran is not in the trace.
                for name in ("helper", "Counted.__repr__", "Boom.__repr__",
                             "Quiet.__repr__"):
                    self.assertNotIn(name, got)

    def test_program_behaves_as_under_plain_python(self):
        plain = plain_run()
        for options in (BOTH, {}):
            with self.subTest(options=options):
                run = run_traced("capture.py", options, check=False)
                self.assertEqual(run.returncode, plain.returncode)
                expected_calls = "1" if options else "0"
                self.assertEqual(run.stdout.replace(
                    "repr calls " + expected_calls, "repr calls N"),
                    plain.stdout.replace("repr calls 0", "repr calls N"))
                self.assertIn("still handling LookupError", run.stdout)
                tail = plain.stderr.strip().splitlines()[-3:]
                self.assertEqual(run.stderr.strip().splitlines()[-3:], tail)
                self.assertIn("ValueError: the end", run.stderr)

    def test_off_by_default_calls_no_repr_and_records_nothing(self):
        run = run_traced("capture.py", check=False)
        self.assertIn("repr calls 0", run.stdout)
        for args_list in captured(run.trace()).values():
            for args in args_list:
                self.assertFalse([k for k in args if k.startswith("args.")
                                  or k in ("return_value", "yielded")])

    def test_return_only(self):
        run = run_traced("capture.py", {"capture_return": True}, check=False)
        self.assertIn("repr calls 0", run.stdout)
        got = captured(run.trace())
        self.assertEqual(got["add"], [{"return_value": "6"}])

    def test_ring_mode_keeps_captures(self):
        run = run_traced("capture.py", dict(BOTH, mode="ring",
                                            buffer_size=100000), check=False)
        got = captured(run.trace())
        self.assertEqual(got["add"][0]["args.a"], "1")

    def test_bad_repr_limit_stops_the_run(self):
        run = run_traced("capture.py", {"capture_args": True,
                                        "repr_limit": 0}, check=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("option repr_limit=0 is out of range", run.stderr)
        self.assertNotIn("repr calls", run.stdout)


if __name__ == "__main__":
    unittest.main()
