"""Child Python processes get the program's plugins, unless --no-children."""

import json
import unittest

from support import StageTest, pyhooks_run


class Children(StageTest):
    def children(self, *options):
        result = pyhooks_run("children.py", options=("-p", "recorder", *options))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        return json.loads(result.stdout)

    def test_children_get_the_plugins(self):
        report = self.children()
        pids = set()
        for where in ("main", "subprocess", "fork", "spawn"):
            with self.subTest(where=where):
                self.assertEqual(report[where]["active"], ["recorder"])
                self.assertTrue(report[where]["saw_call"], report[where])
                pids.add(report[where]["pid"])
        self.assertEqual(len(pids), 4, "each report comes from its own process")

    def test_no_children(self):
        report = self.children("--no-children")
        self.assertEqual(report["main"]["active"], ["recorder"])
        self.assertTrue(report["main"]["saw_call"])
        for where in ("subprocess", "fork", "spawn"):
            with self.subTest(where=where):
                self.assertEqual(report[where]["active"], [])
                self.assertFalse(report[where]["saw_call"])


if __name__ == "__main__":
    unittest.main()
