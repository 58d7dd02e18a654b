"""The sanitizer pass (make test-asan) really checks pyhooks' code inside
Python processes: a deliberate heap overflow in a plugin is reported.
Runs only in that pass (tools/run-tests.sh --asan sets PYHOOKS_ASAN)."""

import os
import sys
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)


@unittest.skipUnless(os.environ.get("PYHOOKS_ASAN"), "only in make test-asan")
class SanitizerCanary(unittest.TestCase):
    def test_asan_reports_an_overflow_in_a_plugin(self):
        result = run_python(f"""
import pyhooks
pyhooks.load({plugin("fault")!r}, options={{"mode": "heap_overflow"}})
print("not reached")
""")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("AddressSanitizer: heap-buffer-overflow", result.stderr)
        self.assertIn("fault_plugin.c", result.stderr)


if __name__ == "__main__":
    unittest.main()
