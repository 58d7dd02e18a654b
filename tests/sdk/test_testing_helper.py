"""pyhooks.testing itself: what a plugin author's test relies on - the run is
`pyhooks run` with the given plugins and options, isolated from the
caller's configuration and PYHOOKS_ENABLE/DISABLE, passes the program its
arguments, stdin and environment, and reports exit status, output and the
files it left; check() fails with the output."""

import os
import sys
import tempfile
import unittest
from pathlib import Path

from pyhooks import testing

PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
EXAMPLES = os.environ["PYHOOKS_EXAMPLE_PLUGIN_DIR"]  # pyhooks_call_counter.so

COUNTED = """
def main():
    pass
for _ in range(3):
    main()
"""


class Run(unittest.TestCase):
    def run_counter(self, program=COUNTED, **kwargs):
        return testing.run(program, ["call_counter"],
                           {"call_counter": {"top": 1}}, python=PYTHON,
                           plugin_path=[EXAMPLES], **kwargs)

    def test_plugins_and_options_are_those_given(self):
        result = self.run_counter().check()
        self.assertEqual(result.stdout, "")
        self.assertRegex(result.stderr, r"call_counter: +3  main \(.*main\.py:2\)")
        # top=1: one row only.
        self.assertEqual(result.stderr.count("call_counter:"), 1,
                         result.stderr)
        self.assertIn("-p", result.command)
        self.assertIn("call_counter.top=1", result.command)

    def test_program_gets_arguments_stdin_and_environment(self):
        program = ("import os, sys\n"
                   "print(sys.argv[1:], sys.stdin.read(), os.environ['X'],"
                   " 'UNSET' in os.environ)\n"
                   "os.makedirs('out')\n"
                   "open('out/made.txt', 'w').write('made')\n")
        os.environ["UNSET"] = "1"
        self.addCleanup(os.environ.pop, "UNSET", None)
        result = self.run_counter(program, args=["a", 2], stdin="in",
                                  env={"X": "x", "UNSET": None}).check()
        self.assertEqual(result.stdout, "['a', '2'] in x False\n")
        self.assertEqual(result.files, {"out/made.txt": "made"})

    def test_the_callers_configuration_does_not_apply(self):
        with tempfile.TemporaryDirectory() as scratch:
            config = Path(scratch, "pyhooks.toml")
            config.write_text("strict = tru\n")  # broken on purpose
            os.environ["PYHOOKS_CONFIG"] = str(config)
            os.environ["PYHOOKS_DISABLE"] = "call_counter"
            try:
                result = self.run_counter().check()
            finally:
                del os.environ["PYHOOKS_CONFIG"]
                del os.environ["PYHOOKS_DISABLE"]
        self.assertIn("call_counter:", result.stderr)

    def test_a_path_program_and_a_failing_run(self):
        with tempfile.TemporaryDirectory() as scratch:
            script = Path(scratch, "fails.py")
            script.write_text("import sys\nprint('bye')\nsys.exit(3)\n")
            result = self.run_counter(script)
        self.assertEqual((result.returncode, result.stdout), (3, "bye\n"))
        self.assertIs(result.check(3), result)
        with self.assertRaises(AssertionError) as raised:
            result.check()
        self.assertIn("exited with 3 (expected 0)", str(raised.exception))
        self.assertIn("bye", str(raised.exception))

    def test_an_unknown_plugin_is_the_runs_error(self):
        result = testing.run(COUNTED, ["no_such_plugin"], python=PYTHON)
        self.assertEqual(result.returncode, 2)
        self.assertIn("no_such_plugin", result.stderr)
        self.assertEqual(result.files, {})


if __name__ == "__main__":
    unittest.main()
