"""asyncio task tracks (async_tracks = true): each Task's coroutine runs,
and what they call, on a track of that task's own named by the task's
name; the event loop's frames stay on the thread's track; nesting valid
per track; the same from both event sources; nothing of the kind with the
option off. Both formats."""

import collections
import sys
import unittest

from tracer_support import have_protobuf, run_traced, short

FORMATS = [".perfetto-trace", ".json"]
NAMED = ["alpha", "beta", "gamma"]


def per_track(trace):
    """{track: Counter((name, parent, depth))}, names short."""
    tracks = collections.defaultdict(collections.Counter)
    for s in trace["slices"]:
        tracks[s["thread"]][(short(s["name"]),
                             s["parent"] and short(s["parent"]),
                             s["depth"])] += 1
    return tracks


@unittest.skipUnless(have_protobuf(), "needs protoc and python3-protobuf "
                     "(tools/install-deps.sh)")
class TaskTracks(unittest.TestCase):
    def test_each_task_on_its_own_track(self):
        for suffix in FORMATS:
            with self.subTest(format=suffix):
                run = run_traced("async_tasks.py", suffix=suffix,
                                 options={"async_tracks": True,
                                          "include": ["async_tasks.py"]})
                unnamed = run.stdout.strip()
                self.assertRegex(unnamed, r"^Task-\d+$")
                trace = run.trace()
                self.assertEqual(trace["tasks"],
                                 sorted(NAMED + ["Task-1", unnamed]))
                tracks = per_track(trace)
                # worker: three runs (start, after sleep(0), after inner);
                # inner: two runs inside worker's; compute() where it ran.
                worker = {("worker", None, 0): 3,
                          ("inner", "worker", 1): 2,
                          ("compute", "worker", 1): 2,
                          ("compute", "inner", 2): 1}
                for task in NAMED + [unnamed]:
                    self.assertEqual(tracks[task], worker, task)
                # main(): its first run, then the one after gather (and
                # 3.11's list comprehension function, inside it).
                main = tracks["Task-1"]
                self.assertEqual(main.pop(("main", None, 0)), 2)
                self.assertEqual(set(main),
                                 {("main.<locals>.<listcomp>", "main", 1)}
                                 if main else set())
                self.assertEqual(tracks["MainThread"],
                                 {("<module>", None, 0): 1})
                self.check_interleaving(trace)

    def check_interleaving(self, trace):
        runs = collections.defaultdict(list)
        for s in trace["slices"]:
            if short(s["name"]) == "worker":
                runs[s["thread"]].append((s["begin"], s["end"]))
        self.assertEqual(len(runs), 4)
        for items in runs.values():
            items.sort()
        # Every task's first run ends before any task's second one begins:
        # sleep(0) hands the loop to the others.
        self.assertLess(max(items[0][1] for items in runs.values()),
                        min(items[1][0] for items in runs.values()))

    def test_event_loop_frames_stay_on_the_thread(self):
        trace = run_traced("async_tasks.py",
                           options={"async_tracks": True}).trace()
        tasks = set(trace["tasks"])
        on_thread = collections.Counter()
        for s in trace["slices"]:
            name = short(s["name"])
            if name in ("worker", "inner", "compute", "main"):
                self.assertIn(s["thread"], tasks, s)
            if s["thread"] not in tasks:
                on_thread[name.rsplit(".", 1)[-1]] += 1
        # The loop ran the steps from its own frames.
        self.assertGreater(on_thread["_run_once"], 0)
        self.assertGreater(on_thread["_run"], 0)

    @unittest.skipUnless(sys.version_info >= (3, 12),
                         "3.11 has the eval-frame source only")
    def test_same_tracks_from_the_eval_frame_source(self):
        options = {"async_tracks": True, "include": ["async_tasks.py"]}
        shapes = [per_track(run_traced("async_tasks.py", options=options,
                                       env={"PYHOOKS_EVENT_SOURCE": source})
                            .trace())
                  for source in ("monitoring", "eval_frame")]
        self.assertEqual(len(shapes[0]), 6)  # MainThread and five tasks
        self.assertEqual(shapes[0], shapes[1])

    def test_off_by_default(self):
        trace = run_traced("async_tasks.py",
                           options={"include": ["async_tasks.py"]}).trace()
        self.assertEqual(trace["tasks"], [])
        self.assertEqual(trace["threads"], ["MainThread"])
        names = collections.Counter(short(s["name"]) for s in trace["slices"])
        self.assertEqual(names["worker"], 12)


if __name__ == "__main__":
    unittest.main()
