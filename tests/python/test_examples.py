"""The example plugin of docs/plugin-authoring.md does what the guide says."""

import os
import sys
import unittest

from pyhooks_testing import header, run_python

print(header(), file=sys.stderr)

COUNTER = os.path.join(os.environ["PYHOOKS_EXAMPLE_PLUGIN_DIR"],
                       "pyhooks_call_counter.so")


class CallCounterExample(unittest.TestCase):
    def test_counts_starts_and_prints_the_top_at_exit(self):
        result = run_python(f"""
import pyhooks
pyhooks.load({COUNTER!r}, options={{"top": 2}})
def often():
    return 1
def sometimes():
    return 2
for _ in range(7):
    often()
for _ in range(3):
    sometimes()
print("done")
""")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "done\n")
        rows = [line for line in result.stderr.splitlines()
                if line.startswith("call_counter:")]
        self.assertEqual(len(rows), 2, result.stderr)
        self.assertRegex(rows[0], r"^call_counter: +7  often \(<string>:4\)$")
        self.assertRegex(rows[1],
                         r"^call_counter: +3  sometimes \(<string>:6\)$")

    def test_bad_option_value_is_one_clear_line(self):
        result = run_python(f"""
import pyhooks
try:
    pyhooks.load({COUNTER!r}, options={{"top": -1}})
except pyhooks.PluginError as error:
    print(error)
""")
        self.assertRegex(result.stdout, r"^plugin 'call_counter' \(.*\) failed "
                         r"to initialize: option 'top' must be >= 0; ")


if __name__ == "__main__":
    unittest.main()
