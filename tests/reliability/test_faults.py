"""Plugins that fail in every way: each gives one clear line naming the
plugin, and the program's own output and exit status are unchanged; under
strict, a clean PluginError instead (issue: reliability, fault injection)."""

import sys
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)

PROGRAM = """
import gc, sys
import pyhooks
pyhooks.load({fault!r}, options={{"mode": {mode!r}}}, required=False)
pyhooks.set_strict({strict})
def victim(x):
    return x * 2
def other():
    return sum(victim(i) for i in range(5))
print(other(), victim(21))
namespace = {{}}
exec("def victim():\\n    return 7\\n", namespace)
print(namespace["victim"]())
del namespace
gc.collect()
print("end", flush=True)
sys.exit(3)
"""

EXPECTED_OUTPUT = "20 42\n7\nend\n"

# mode -> the one message (a regex) it must produce on stderr
MODES = {
    "init_error": r"plugin 'fault' \(.*pyhooks_test_fault\.so\) failed to "
                  r"initialize: fault: init fails \(mode\); check its options",
    "observer_error": r"plugin 'fault' failed in on_event\(start\) of 'victim' "
                      r"\(<string>:6\): it returned an error; it is disabled",
    "observer_exception": r"plugin 'fault' failed in on_event\(start\) of "
                          r"'victim' \(<string>:6\): ValueError: fault: "
                          r"observer raised; it is disabled",
    "observer_leaves_exception": r"plugin 'fault' failed in on_event\(start\) "
                                 r"of 'victim' \(<string>:6\): KeyError: "
                                 r"'fault: left set'; it is disabled",
    "evaluator_error": r"plugin 'fault' returned ERROR without setting an "
                       r"exception in evaluate of 'victim' \(<string>:6\); "
                       r"it is disabled",
    "handled_null": r"plugin 'fault' returned HANDLED without a result in "
                    r"evaluate of 'victim'",
    "unknown_status": r"plugin 'fault' returned the unknown status 42 in "
                      r"evaluate of 'victim'",
    "evaluator_leaves_exception": r"plugin 'fault' left an exception set "
                                  r"\(KeyError: 'fault: stray'\) with its "
                                  r"answer in evaluate of 'victim'",
    "free_raises": r"plugin 'fault' raised in code_free: RuntimeError: fault: "
                   r"code_free raised; ignored",
    "slot_writer": r"plugin 'fault' set the eval-frame function itself during "
                   r"init; plugins must leave the slot to pyhooks",
}


def run(mode, strict=False):
    return run_python(PROGRAM.format(fault=plugin("fault"), mode=mode,
                                     strict=strict))


class FaultInjection(unittest.TestCase):
    def test_each_failure_is_one_line_and_changes_nothing(self):
        for mode, message in MODES.items():
            with self.subTest(mode=mode):
                result = run(mode)
                self.assertEqual(result.stdout, EXPECTED_OUTPUT, result.stderr)
                self.assertEqual(result.returncode, 3, result.stderr)
                lines = [line for line in result.stderr.splitlines()
                         if line.startswith("pyhooks:")]
                self.assertEqual(len(lines), 1, result.stderr)
                self.assertRegex(lines[0], message)

    def test_a_slow_plugin_only_makes_the_program_slower(self):
        result = run("slow")
        self.assertEqual(result.stdout, EXPECTED_OUTPUT)
        self.assertEqual(result.returncode, 3)
        self.assertNotIn("pyhooks:", result.stderr)

    def test_strict_turns_event_failures_into_a_clean_plugin_error(self):
        for mode in ("observer_error", "observer_exception", "evaluator_error",
                     "handled_null", "unknown_status"):
            with self.subTest(mode=mode):
                result = run(mode, strict=True)
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertIn("pyhooks.PluginError: plugin 'fault' ",
                              result.stderr)
                self.assertIn("(strict mode)", result.stderr)
                self.assertNotIn("end\n", result.stdout)


if __name__ == "__main__":
    unittest.main()
