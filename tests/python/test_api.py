"""The in-process API: load by name and path, chain(), counters(), unload,
disable/enable, errors for bad plugins and bad options."""

import os
import sys
import unittest

import pyhooks

from pyhooks_testing import (PLUGIN_DIR, eval_frame_is_cpythons, header,
                             monitoring_tools, plugin, take_events)

print(header(), file=sys.stderr)


def watched():
    return 1


class ApiTest(unittest.TestCase):
    def tearDown(self):
        pyhooks.shutdown()
        pyhooks.set_event_source("auto")
        take_events()

    def test_nothing_is_installed_without_plugins(self):
        # CPython's own state, not pyhooks' view of it: the eval-frame slot
        # holds CPython's evaluator and no sys.monitoring tool is taken.
        self.assertTrue(eval_frame_is_cpythons())
        self.assertEqual(monitoring_tools(), {})
        self.assertEqual(pyhooks.event_source(), "none")
        frames = pyhooks.counters()["frames"]
        for _ in range(10):
            watched()
        self.assertEqual(pyhooks.counters()["frames"], frames)

    def test_everything_is_given_back_after_the_last_unload(self):
        pyhooks.load(plugin("passthrough_evaluator"))
        pyhooks.load(plugin("recorder"), name="recorder",
                     options={"filename": __file__})
        self.assertFalse(eval_frame_is_cpythons())
        if sys.version_info >= (3, 12):
            self.assertIn("pyhooks", monitoring_tools().values())
        pyhooks.unload("passthrough_evaluator")
        pyhooks.unload("recorder")
        self.assertTrue(eval_frame_is_cpythons())
        self.assertEqual(monitoring_tools(), {})

    def test_load_by_name_from_the_plugin_path(self):
        pyhooks.load("slot_user", plugin_path=[PLUGIN_DIR])
        names = [entry["name"] for entry in pyhooks.chain() if entry["position"]]
        self.assertEqual(names, ["slot_user"])
        entry = pyhooks.chain()[0]
        self.assertEqual(entry["roles"], ["observer"])
        self.assertEqual(entry["state"], "active")
        # Found by file name: the pyhooks_slot_user.so beside the variant.
        self.assertEqual(entry["library"],
                         os.path.join(PLUGIN_DIR, "pyhooks_slot_user.so"))

    def test_counters_count_events_per_plugin(self):
        pyhooks.load(plugin("recorder"), name="recorder",
                     options={"filename": __file__})
        for _ in range(10):
            watched()
        events = pyhooks.counters()["plugins"]["recorder"]["events"]
        self.assertGreaterEqual(events["start"], 10)
        self.assertGreaterEqual(events["return"], 10)

    def test_unload_disable_enable(self):
        pyhooks.load(plugin("recorder"), name="recorder",
                     options={"filename": __file__})
        take_events()
        pyhooks.disable("recorder")
        watched()
        self.assertEqual(take_events(), [])
        self.assertEqual(pyhooks.event_source(), "none")
        pyhooks.enable("recorder")
        watched()
        self.assertIn("start watched", take_events())
        pyhooks.unload("recorder")
        self.assertEqual(pyhooks.event_source(), "none")
        with self.assertRaisesRegex(pyhooks.PluginError,
                                    "no plugin named 'recorder' is loaded"):
            pyhooks.unload("recorder")

    @unittest.skipIf(sys.version_info < (3, 12), "sys.monitoring is 3.12+")
    def test_monitoring_tool_is_free_and_inert_after_unload(self):
        # pyhooks leaves its callbacks registered (unregistering raises
        # audit events); a tool that takes the id afterwards and sets events
        # without callbacks of its own must reach nothing of pyhooks.
        monitoring = sys.monitoring
        pyhooks.load(plugin("recorder"), name="recorder",
                     options={"filename": __file__})
        self.assertEqual(pyhooks.event_source(), "monitoring")
        tool = next(t for t in (4, 3, 5)
                    if monitoring.get_tool(t) == "pyhooks")
        pyhooks.unload("recorder")
        take_events()
        self.assertIsNone(monitoring.get_tool(tool))
        monitoring.use_tool_id(tool, "later tool")
        try:
            seen = pyhooks.counters()["monitoring_events"]
            monitoring.set_events(tool, monitoring.events.PY_START
                                  | monitoring.events.PY_RETURN)
            self.assertEqual(watched(), 1)
            self.assertEqual(pyhooks.counters()["monitoring_events"], seen)
            self.assertEqual(take_events(), [])
        finally:
            monitoring.set_events(tool, 0)
            monitoring.free_tool_id(tool)

    @unittest.skipIf(sys.version_info < (3, 12), "sys.monitoring is 3.12+")
    def test_monitoring_callbacks_called_by_hand_do_nothing(self):
        # register_callback hands the previous callback to Python code; our
        # callbacks read their arguments unchecked only when they are the
        # ones sys.monitoring passes.
        monitoring = sys.monitoring
        events = monitoring.events
        pyhooks.load(plugin("recorder"), name="recorder",
                     options={"filename": __file__})
        tool = next(t for t in (4, 3, 5)
                    if monitoring.get_tool(t) == "pyhooks")
        take_events()
        for event in (events.PY_START, events.PY_RETURN, events.PY_THROW,
                      events.CALL, events.C_RETURN):
            callback = monitoring.register_callback(tool, event, None)
            monitoring.register_callback(tool, event, callback)
            self.assertEqual(type(callback).__name__, "_MonitoringCallback")
            code = watched.__code__
            for args in ((), (code,), ("not code", 0), ("x", 0, 1),
                         (code, 0, None, None, None), (1, 2, 3, 4)):
                self.assertIsNone(callback(*args), (event, args))
            self.assertIsNone(callback(code, 0, key="word"))
        self.assertEqual(take_events(), [])
        watched()
        self.assertIn("start watched", take_events())

    def test_duplicate_load_keeps_the_first(self):
        pyhooks.load(plugin("slot_user"))
        pyhooks.load(plugin("slot_user"), priority=900)
        active = [e for e in pyhooks.chain() if e["position"]]
        self.assertEqual(len(active), 1)
        self.assertEqual(active[0]["priority"], 500)

    def test_errors_are_one_line_and_name_the_plugin(self):
        cases = [
            (plugin("abi_major"), "was built for pyhooks plugin ABI 2.0 but "
             "this host provides ABI 1.%d" % pyhooks.abi_minor),
            (plugin("no_entry"), "does not export pyhooks_plugin_entry"),
            (plugin("declines"), "declined to load on this Python: test: "
             "this plugin never runs on this Python"),
            ("nonesuch", "no plugin named 'nonesuch' in the plugin search "
             "path"),
            (os.path.join(PLUGIN_DIR, "missing.so"), "does not exist"),
        ]
        for target, message in cases:
            with self.subTest(target=target):
                with self.assertRaises(pyhooks.PluginError) as raised:
                    pyhooks.load(target)
                text = str(raised.exception)
                self.assertIn(message, text)
                self.assertNotIn("\n", text)

    def test_optional_plugins_are_skipped_with_a_warning(self):
        pyhooks.load(plugin("abi_major"), required=False)
        self.assertEqual([e for e in pyhooks.chain() if e["position"]], [])

    def test_options_are_checked_against_the_declaration(self):
        with self.assertRaisesRegex(ValueError, "plugin 'recorder' has no "
                                    "option 'colour' \\(it takes: filename, "
                                    "tag, thread, line, args, values, disable\\)"):
            pyhooks.load(plugin("recorder"), name="recorder",
                         options={"colour": "red"})
        with self.assertRaisesRegex(ValueError, "option 'thread' must be a "
                                    "bool \\(got 3\\)"):
            pyhooks.load(plugin("recorder"), name="recorder",
                         options={"thread": 3})
        with self.assertRaisesRegex(ValueError, "priority must be an integer "
                                    "from 0 to 1000"):
            pyhooks.load(plugin("slot_user"), priority=5000)

    def test_configure_orders_a_batch(self):
        pyhooks.configure([
            {"target": plugin("recorder"), "name": "recorder",
             "options": {"filename": __file__}},
            {"target": plugin("slot_user")},
            {"target": plugin("passthrough_evaluator"), "priority": 100},
        ], order=["slot_user", "*"])
        names = [e["name"] for e in pyhooks.chain() if e["position"]]
        self.assertEqual(names, ["slot_user", "recorder",
                                 "passthrough_evaluator"])
        self.assertTrue(pyhooks.counters()["hook_installed"])
        self.assertEqual(pyhooks.event_source(),
                         "monitoring" if sys.version_info >= (3, 12)
                         else "eval_frame")

    def test_disable_enable_loops_keep_few_chain_snapshots(self):
        # Each disable/enable builds a new chain snapshot; retired ones no
        # frame reads any more must be freed, not kept for the whole run.
        pyhooks.load(plugin("recorder"), name="recorder",
                     options={"filename": __file__})
        pyhooks.load(plugin("passthrough_evaluator"))
        for _ in range(300):
            pyhooks.disable("recorder")
            watched()
            pyhooks.enable("recorder")
            watched()
        self.assertLessEqual(pyhooks.counters()["chain_snapshots"], 3)
        take_events()
        watched()
        events = take_events()
        self.assertIn("start watched", events)
        self.assertIn("return watched", events)

    def test_a_failing_truth_test_in_a_request_is_raised(self):
        class Refuses:
            def __bool__(self):
                raise ArithmeticError("no truth here")

        with self.assertRaisesRegex(ArithmeticError, "no truth here"):
            pyhooks.configure([{"target": plugin("slot_user"),
                                "required": Refuses()}])
        with self.assertRaisesRegex(ArithmeticError, "no truth here"):
            pyhooks.configure([], strict=Refuses())
        self.assertEqual([e for e in pyhooks.chain() if e["position"]], [])


if __name__ == "__main__":
    unittest.main()
