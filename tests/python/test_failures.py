"""Misbehaving plugins: reported once by name and disabled, the program's
output and exit status unchanged; with strict, a clean PluginError."""

import sys
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)

PROGRAM = f"""
import pyhooks
strict = STRICT
pyhooks.load({plugin("raising_observer")!r},
             options={{"filename": "<string>"}})
if strict:
    pyhooks.set_strict(True)
def boom():
    return "boom ran"
for _ in range(3):
    print(boom())
def later():
    return "later ran"
print(later())
print(pyhooks.chain()[0]["state"])
"""


class FailingPluginTest(unittest.TestCase):
    def test_failing_observer_is_reported_once_and_disabled(self):
        result = run_python(PROGRAM.replace("STRICT", "False"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout,
                         "boom ran\nboom ran\nboom ran\nlater ran\nfailed\n")
        errors = [line for line in result.stderr.splitlines()
                  if line.startswith("pyhooks:")]
        self.assertEqual(len(errors), 1, result.stderr)
        self.assertRegex(
            errors[0],
            r"^pyhooks: error: plugin 'raising_observer' failed in "
            r"on_event\(start\) of 'boom' \(<string>:\d+\): ValueError: the "
            r"raising observer raised; it is disabled for the rest of this "
            r"run$")

    def test_strict_mode_raises_plugin_error_in_the_program(self):
        result = run_python(PROGRAM.replace("STRICT", "True"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("pyhooks.PluginError: plugin 'raising_observer' failed "
                      "in on_event(start) of 'boom'", result.stderr)
        self.assertIn("(strict mode)", result.stderr)
        self.assertIn("Traceback (most recent call last)", result.stderr)

    def test_failing_init_raises_with_the_library_named(self):
        result = run_python(f"""
import pyhooks
try:
    pyhooks.load({plugin("init_fails")!r})
except pyhooks.PluginError as error:
    print(error)
""")
        self.assertEqual(result.returncode, 0, result.stderr)
        message = ("plugin 'init_fails' (%s) failed to initialize: test: "
                   "init fails on purpose; check its options, or leave it out "
                   "of the configuration" % plugin("init_fails"))
        self.assertEqual(result.stdout.strip(), message)
        # Raised, so not printed as well; the plugin's own log line is the
        # reason in the one message.
        self.assertEqual(result.stderr.strip(), "")


if __name__ == "__main__":
    unittest.main()
