"""C-call events (ABI 1.1, plugin ABI policies HOST-21 and HOST-22): a Python
frame calling a builtin function or method is reported as C_CALL and then
C_RETURN or C_RAISE, named as cProfile names it, the same from every event
source; on 3.11 the host says E_UNSUPPORTED and delivers none. CALL events
cost every call, so they are subscribed only while an observer wants them."""

import sys
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)

WORKLOAD = f"""
import os, sys, time
import pyhooks
from pyhooks_testing import take_events

def key(x):
    return -x

def work():
    data = [3, 1, 2]
    n = len(data)
    ordered = sorted(data, key=key)   # calls back into Python
    data.sort()
    time.sleep(0.001)
    try:
        divmod(1, 0)                  # a builtin raising: C_RAISE
    except ZeroDivisionError:
        pass
    try:
        {{}}.pop("missing")           # a method descriptor raising
    except KeyError:
        pass
    return n, ordered

def quiet():
    return len("abc")

if os.environ.get("WITH_EVALUATOR"):
    pyhooks.load({plugin("passthrough_evaluator")!r})
options = {{"filename": "<string>",
            "disable_c_call_in": os.environ.get("DISABLE_IN", "").split()}}
pyhooks.load({plugin("c_recorder")!r}, name="recorder", options=options)
print("\\n".join(take_events("c_recorder")))   # what init said
work()
quiet()
quiet()
events = take_events("c_recorder")
pyhooks.unload("recorder")
print("\\n".join(events))
"""

NAMES = ["<built-in method builtins.len>", "<built-in method builtins.sorted>",
         "<method 'sort' of 'list' objects>", "<built-in method time.sleep>",
         "<built-in method builtins.divmod>",
         "<method 'pop' of 'dict' objects>"]

EXPECTED = (["start work",
             "c_call work <built-in method builtins.len>",
             "c_return work <built-in method builtins.len>",
             "c_call work <built-in method builtins.sorted>"]
            + ["start key", "return key"] * 3
            + ["c_return work <built-in method builtins.sorted>",
               "c_call work <method 'sort' of 'list' objects>",
               "c_return work <method 'sort' of 'list' objects>",
               "c_call work <built-in method time.sleep>",
               "c_return work <built-in method time.sleep>",
               "c_call work <built-in method builtins.divmod>",
               "c_raise work <built-in method builtins.divmod>",
               "c_call work <method 'pop' of 'dict' objects>",
               "c_raise work <method 'pop' of 'dict' objects>",
               "return work"]
            + ["start quiet",
               "c_call quiet <built-in method builtins.len>",
               "c_return quiet <built-in method builtins.len>",
               "return quiet"] * 2)


def stream(test, source, **env):
    env = {"PYHOOKS_EVENT_SOURCE": source, **env}
    result = run_python(WORKLOAD, env=env)
    test.assertEqual(result.returncode, 0, result.stderr)
    # The test's own module-level calls (loading, taking the log) aside.
    return [e for e in result.stdout.splitlines()
            if e and e.split(" ")[1] != "<module>"]


@unittest.skipIf(sys.version_info < (3, 12), "sys.monitoring is 3.12+")
class CCallEvents(unittest.TestCase):
    def test_every_source_gives_the_same_named_c_calls(self):
        for source, env in [("auto", {}), ("eval_frame", {}),
                            ("auto", {"WITH_EVALUATOR": "1"})]:
            with self.subTest(source=source, **env):
                self.assertEqual(stream(self, source, **env), EXPECTED)

    def test_disable_on_c_call_disables_the_calling_code(self):
        # quiet's first C_CALL answers DISABLE: that call owes no C_RETURN
        # (an enter answered DISABLE owes no exit), the activation's RETURN
        # is still owed, and quiet's second call reports nothing.
        for source in ["auto", "eval_frame"]:
            with self.subTest(source=source):
                events = stream(self, source, DISABLE_IN="quiet")
                self.assertEqual(events, EXPECTED[:-8] + [
                    "start quiet",
                    "c_call quiet <built-in method builtins.len>",
                    "return quiet"])

    def test_names_are_cprofiles_keys(self):
        result = run_python("""
            import cProfile, time
            def key(x):
                return -x
            def work():
                data = [3, 1, 2]
                len(data); sorted(data, key=key); data.sort()
                time.sleep(0.001)
                try:
                    divmod(1, 0)
                except ZeroDivisionError:
                    pass
                try:
                    {}.pop("missing")
                except KeyError:
                    pass
            profile = cProfile.Profile()
            profile.runcall(work)
            profile.create_stats()
            for file, line, name in profile.stats:
                if file == "~" and line == 0 and "disable" not in name:
                    print(name)
            """)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(sorted(result.stdout.splitlines()), sorted(NAMES))

    def test_call_events_are_subscribed_only_while_wanted(self):
        result = run_python(f"""
            import sys, pyhooks
            m = sys.monitoring
            C = m.events.CALL   # C_RETURN and C_RAISE ride on it
            def ours():
                tool = [i for i in range(6) if m.get_tool(i) == "pyhooks"]
                return m.get_events(tool[0]) & C if tool else None
            pyhooks.load({plugin("recorder")!r}, name="recorder_b")
            print(ours())
            pyhooks.load({plugin("c_recorder")!r}, name="recorder")
            print(ours() == C)
            pyhooks.unload("recorder")
            print(ours())
            pyhooks.unload("recorder_b")
            print(ours())
            """, env={"PYHOOKS_EVENT_SOURCE": "eval_frame"})
        self.assertEqual(result.returncode, 0, result.stderr)
        # With the hook serving frame events, the tool id exists only for
        # the C calls.
        self.assertEqual(result.stdout.split(), ["None", "True", "None",
                                                 "None"])


@unittest.skipIf(sys.version_info >= (3, 12), "3.11 has no sys.monitoring")
class CCallEventsOn311(unittest.TestCase):
    def test_unsupported_and_none_delivered(self):
        events = stream(self, "auto")
        self.assertEqual(events[0], "c_calls unsupported")
        self.assertEqual(events[1:], [e for e in EXPECTED
                                      if not e.startswith("c_")])


if __name__ == "__main__":
    unittest.main()
