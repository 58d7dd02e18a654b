"""The trace of known programs: exactly the expected slices, correctly
nested per thread, in both formats; durations against busy-wait ground
truth; generator runs linked by flows; threads on their own tracks."""

import collections
import json
import os
import sys
import unittest

from tracer_support import (have_protobuf, own, run_traced, scratch_directory,
                            short)

FORMATS = [".perfetto-trace", ".json"]


def shape(slices):
    """(name, parent, depth) of each slice, as a multiset, names short."""
    return collections.Counter((short(s["name"]),
                                short(s["parent"]) if s["parent"] else None)
                               for s in slices)


@unittest.skipUnless(have_protobuf(), "needs protoc and python3-protobuf "
                     "(tools/install-deps.sh)")
class KnownPrograms(unittest.TestCase):
    def test_nested_calls_exact_tree(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                trace = run_traced("nested.py", suffix=suffix).trace()
                mine = own(trace, "nested.py")
                tree = shape(mine)
                self.assertEqual(tree.pop(("leaf", "middle")), 6)
                self.assertEqual(tree.pop(("middle", "top")), 3)
                self.assertEqual(tree.pop(("top", "<module>")), 1)
                ((module, parent), count), = tree.items()
                self.assertEqual((module, count), ("<module>", 1))
                names = {s["name"] for s in mine}
                self.assertTrue(any(n.startswith("leaf (") and
                                    n.endswith("/nested.py:4)")
                                    for n in names), names)
                self.assertTrue(any(n.startswith("top (") and
                                    n.endswith("/nested.py:12)")
                                    for n in names), names)
                for s in trace["slices"]:
                    self.assertLess(s["begin"], s["end"])

    def test_slices_nest_or_are_disjoint(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                trace = run_traced("nested.py", suffix=suffix).trace()
                by_thread = collections.defaultdict(list)
                for s in trace["slices"]:
                    by_thread[s["thread"]].append((s["begin"], s["end"]))
                for intervals in by_thread.values():
                    intervals.sort()
                    stack = []
                    for begin, end in intervals:
                        while stack and stack[-1] <= begin:
                            stack.pop()
                        if stack:
                            self.assertLessEqual(end, stack[-1])
                        stack.append(end)

    def test_formats_agree(self):
        shapes = []
        for suffix in FORMATS + [".json.gz"]:
            trace = run_traced("nested.py", suffix=suffix).trace()
            shapes.append(shape(trace["slices"]))
        self.assertEqual(shapes[0], shapes[1])
        self.assertEqual(shapes[0], shapes[2])

    def test_durations_match_busy_waits(self):
        directory = scratch_directory()
        truth_path = os.path.join(directory, "truth.json")
        for attempt in range(3):
            run = run_traced("busy.py", directory=directory,
                             env={"TRACER_TRUTH": truth_path})
            with open(truth_path) as f:
                truth = json.load(f)
            spins = sorted((s for s in own(run.trace(), "busy.py")
                            if short(s["name"]) == "spin"),
                           key=lambda s: s["begin"])
            self.assertEqual(len(spins), len(truth))
            bad = [(measured["end"] - measured["begin"]) / 1e9 - real
                   for measured, real in zip(spins, truth)
                   if abs((measured["end"] - measured["begin"]) / 1e9 - real)
                   > 0.05 * real + 0.0002]
            if not bad:
                return
        self.fail("durations off by %r s" % bad)

    def test_generator_runs_are_linked(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                trace = run_traced("generators.py", suffix=suffix).trace()
                runs = [s for s in own(trace, "generators.py")
                        if short(s["name"]) == "produce"]
                alone = [s for s in runs if s["parent"] and
                         short(s["parent"]) == "alone"]
                # sum() drives it: 3 runs ending in a yield, 1 in return.
                self.assertEqual(len(alone), 4)
                flows = {s["flow"] for s in alone}
                self.assertEqual(len(flows), 1)
                self.assertIsNotNone(flows.pop())
                alone.sort(key=lambda s: s["begin"])
                self.assertEqual([s["flow_role"] for s in alone],
                                 ["continues"] * 3 + ["end"])
                # Interleaved instances of one code: never linked wrongly.
                mixed = [s for s in runs if s not in alone]
                # zip stops after the first is exhausted; closing the
                # second (suspended at a plain yield) resumes its frame
                # before 3.13, and 3.13 closes it without running it.
                self.assertEqual(len(mixed),
                                 5 if sys.version_info >= (3, 13) else 6)
                counts = collections.Counter(s["flow"] for s in mixed
                                             if s["flow"] is not None)
                self.assertTrue(all(n == 1 for n in counts.values()), counts)

    def test_threads_have_their_own_tracks(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                trace = run_traced("threads.py", suffix=suffix).trace()
                work = collections.Counter(
                    s["thread"] for s in own(trace, "threads.py")
                    if short(s["name"]) == "work")
                # Tracks carry threading's names.
                self.assertEqual(work, {"MainThread": 1, "worker-0": 5,
                                        "worker-1": 5})
                self.assertEqual(trace["threads"],
                                 ["MainThread", "worker-0", "worker-1"])

    def test_exception_marks_the_frames_it_unwound(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                run = run_traced("raises.py", suffix=suffix, check=False)
                self.assertEqual(run.returncode, 1)
                self.assertIn("ValueError: 2", run.stderr)
                mine = own(run.trace(), "raises.py")
                marked = collections.Counter(
                    short(s["name"]) for s in mine
                    if s["args"].get("left_by_exception"))
                # inner and outer twice (caught, then uncaught), and the
                # module once.
                self.assertEqual(marked, {"inner": 2, "outer": 2,
                                          "<module>": 1})
                # Each names the exception's type (the script's own class
                # with its module).
                types = collections.Counter(
                    (short(s["name"]), s["args"].get("exception"))
                    for s in mine if s["args"].get("left_by_exception"))
                self.assertEqual(types, {("inner", "__main__.Oops"): 1,
                                         ("outer", "__main__.Oops"): 1,
                                         ("inner", "ValueError"): 1,
                                         ("outer", "ValueError"): 1,
                                         ("<module>", "ValueError"): 1})
                catches = [s for s in mine if short(s["name"]) == "catches"]
                self.assertEqual(len(catches), 1)
                self.assertNotIn("left_by_exception", catches[0]["args"])


if __name__ == "__main__":
    unittest.main()
