"""The speedscope file (speedscope's own JSON format): one sampled profile in
nanoseconds whose weights add up to the pstats total and give each
function's own time, frames with names, files and lines kept apart; and the
collapsed stacks' size kept to a few times the pstats file's."""

import json
import os
import unittest

from profiler_support import HERE, entry, run_profiled

DEMO = HERE.parent.parent / "examples" / "demo.py"


class Speedscope(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.profiled = run_profiled("nested.py")
        with open(cls.profiled.files["speedscope"], encoding="utf-8") as f:
            cls.doc = json.load(f)

    def test_format_and_unit(self):
        doc = self.doc
        self.assertEqual(doc["$schema"],
                         "https://www.speedscope.app/file-format-schema.json")
        self.assertEqual(len(doc["profiles"]), 1)
        profile = doc["profiles"][0]
        self.assertEqual(profile["type"], "sampled")
        self.assertEqual(profile["unit"], "nanoseconds")
        self.assertEqual(len(profile["samples"]), len(profile["weights"]))
        self.assertEqual(profile["startValue"], 0)
        self.assertEqual(profile["endValue"], sum(profile["weights"]))
        self.assertTrue(doc["name"].startswith("pyhooks profile of "))
        frames = doc["shared"]["frames"]
        for sample in profile["samples"]:
            self.assertTrue(sample)
            for index in sample:
                self.assertLess(index, len(frames))
        names = [frame["name"] for frame in frames]
        self.assertEqual(len(names), len(set(
            (f["name"], f.get("file"), f.get("line")) for f in frames)))
        inner = [f for f in frames if f["name"] == "inner"]
        self.assertEqual(len(inner), 1)
        self.assertTrue(inner[0]["file"].endswith("nested.py"))
        self.assertIsInstance(inner[0]["line"], int)

    def test_weights_give_the_pstats_times(self):
        stats = self.profiled.stats()
        profile = self.doc["profiles"][0]
        frames = self.doc["shared"]["frames"]
        self.assertAlmostEqual(sum(profile["weights"]) / 1e9, stats.total_tt,
                               delta=1e-6)
        for name in ("outer", "middle", "inner", "spin"):
            own = sum(weight for sample, weight in
                      zip(profile["samples"], profile["weights"])
                      if frames[sample[-1]]["name"] == name)
            _, value = entry(stats, name, "nested")
            self.assertAlmostEqual(own / 1e9, value[2], delta=1e-6, msg=name)
        # spin() is reached along three call paths, root first.
        paths = {tuple(frames[i]["name"] for i in sample[-3:])
                 for sample in profile["samples"]
                 if frames[sample[-1]]["name"] == "spin"}
        self.assertEqual(paths, {("<module>", "outer", "spin"),
                                 ("outer", "middle", "spin"),
                                 ("middle", "inner", "spin")})


class Sizes(unittest.TestCase):
    def test_collapsed_and_speedscope_stay_near_the_pstats_size(self):
        # examples/demo.py: imports, deep recursion, generators (the collapsed
        # file was 23 times the pstats file's size before small paths were
        # folded).
        run = run_profiled(DEMO, {"summary": 0})
        pstats_size = os.path.getsize(run.files["output"])
        for key in ("collapsed", "speedscope"):
            size = os.path.getsize(run.files[key])
            self.assertLessEqual(size, 4 * pstats_size,
                                 "%s: %d bytes, pstats %d" % (key, size,
                                                              pstats_size))
        # Folding keeps every microsecond.
        lines = run.collapsed()
        self.assertTrue(any(stack[-1] == "[small paths]"
                            for stack, _ in lines))
        total_us = sum(count for _, count in lines)
        self.assertLessEqual(abs(total_us - run.stats().total_tt * 1e6), 2)


if __name__ == "__main__":
    unittest.main()
