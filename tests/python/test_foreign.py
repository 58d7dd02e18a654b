"""Foreign evaluators: a tool that set the eval-frame slot before pyhooks is
chained (it becomes the terminator); one that sets it after pyhooks is never
clobbered. Each scenario runs in its own interpreter, since the slot is
process state."""

import sys
import unittest

from pyhooks_testing import EXT_DIR, header, plugin, run_python

print(header(), file=sys.stderr)

PRELUDE = f"""
import sys
sys.path.insert(0, {EXT_DIR!r})
import _pyhooks_test_foreign as foreign
import pyhooks
from pyhooks_testing import take_events
def f():
    return 1
def load_recorder():
    pyhooks.set_event_source("eval_frame")
    pyhooks.load({plugin("recorder")!r}, name="recorder",
                 options={{"filename": "<string>"}})
    take_events()
"""


def run(scenario):
    return run_python(PRELUDE + scenario)


class ForeignEvaluatorTest(unittest.TestCase):
    def check(self, result):
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def test_installed_before_pyhooks_becomes_the_terminator(self):
        result = self.check(run("""
foreign.install()
load_recorder()
before = foreign.count()
for _ in range(10):
    f()
assert foreign.count() - before >= 10, foreign.count() - before
assert take_events().count("start f") == 10
pyhooks.unload("recorder")
assert foreign.installed(), "pyhooks did not restore the foreign evaluator"
before = foreign.count()
f()
assert foreign.count() - before >= 1
"""))
        self.assertNotIn("warning", result.stderr)

    def test_installed_after_pyhooks_is_never_clobbered(self):
        result = self.check(run("""
load_recorder()
foreign.install()          # saves pyhooks's hook and calls it
before = foreign.count()
for _ in range(10):
    f()
assert foreign.count() - before >= 10
assert take_events().count("start f") == 10, "pyhooks lost its frames"
pyhooks.unload("recorder")
assert foreign.installed(), "pyhooks clobbered a later tool"
before = foreign.count()
f()
assert foreign.count() - before >= 1
foreign.uninstall()        # hands the slot back to pyhooks's hook ...
pyhooks.chain()            # ... which pyhooks notices and removes
assert foreign.slot_is_default(), "pyhooks's idle hook stayed in the slot"
"""))
        self.assertIn("pyhooks: warning: another tool replaced pyhooks's "
                      "eval-frame function with", result.stderr)
        self.assertIn("_pyhooks_test_foreign", result.stderr)

    def test_a_later_tool_is_noticed_at_the_next_import(self):
        # No pyhooks call after the tool takes the slot, and os._exit skips
        # the shutdown check: only the import safe point can report it.
        result = run("""
load_recorder()
foreign.install()
import colorsys
os._exit(0)
""".replace("load_recorder()", "import os\nload_recorder()"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("pyhooks: warning: another tool replaced pyhooks's "
                      "eval-frame function with", result.stderr)

    @unittest.skipIf(sys.version_info < (3, 12), "perf trampoline is 3.12+")
    def test_perf_trampoline_keeps_working_under_pyhooks(self):
        self.check(run("""
import os
sys.activate_stack_trampoline("perf")
load_recorder()
def pyhooks_perf_marker():
    return 2
pyhooks_perf_marker()
assert "start pyhooks_perf_marker" in take_events()
with open("/tmp/perf-%d.map" % os.getpid()) as perf_map:
    assert "pyhooks_perf_marker" in perf_map.read(), "trampoline bypassed"
pyhooks.unload("recorder")
assert sys.is_stack_trampoline_active()
sys.deactivate_stack_trampoline()
os.remove("/tmp/perf-%d.map" % os.getpid())
"""))


if __name__ == "__main__":
    unittest.main()
