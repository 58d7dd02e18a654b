"""Ground truth: workloads with known call counts and self-measured times.
Counts must be exact; times within 10% of what the workload measured in the
same run (retried on a timing miss, never on a count miss)."""

import unittest
import xml.etree.ElementTree as ET

from profiler_support import (caller_edge, check_times, entry, with_retries)
from profiler_support import run_profiled as run_with_builtins


def run_profiled(script, options=None, **keywords):
    """The workloads measure their own time including the C functions they
    call (time.sleep, clocks in busy-wait loops), so builtins are off here:
    listed, their time would not be the caller's own (test_builtins.py
    covers that), and a busy-wait loop to a deadline makes as many clock
    calls as the profiler's overhead allows, which the subtracted overhead
    cannot know."""
    return run_with_builtins(script, {"builtins": False, **(options or {})},
                             **keywords)


class BusyCalls(unittest.TestCase):
    def check(self, clock):
        run = run_profiled("busy_calls.py", {"clock": clock}, truth_clock=clock)
        stats, truth = run.stats(), run.truth()
        _, (cc, nc, tt, ct, callers) = entry(stats, "busy", "busy_calls")
        self.assertEqual((cc, nc), (100, 100))
        edge = caller_edge(stats, "busy", "main", "busy_calls")
        self.assertEqual(edge[:2], (100, 100))
        _, main = entry(stats, "main", "busy_calls")
        self.assertEqual(main[:2], (1, 1))
        check_times([("busy own", tt, truth["busy"]),
                     ("busy cum", ct, truth["busy"]),
                     ("main->busy edge", edge[3], truth["busy"]),
                     ("main cum", main[3], truth["main"])])
        # main only loops: nearly all of its time is busy's.
        self.assertLess(main[2], 0.05 * truth["main"])

    def test_wall_clock(self):
        with_retries(lambda: self.check("wall"))

    def test_cpu_clock(self):
        with_retries(lambda: self.check("cpu"))


class Clocks(unittest.TestCase):
    def test_sleeping_is_wall_time_not_cpu_time(self):
        def check():
            run = run_profiled("sleeps.py", {"clock": "wall"})
            _, nap = entry(run.stats(), "nap", "sleeps")
            self.assertEqual(nap[:2], (5, 5))
            check_times([("nap own (wall)", nap[2], run.truth()["nap_wall"])])
        with_retries(check)
        run = run_profiled("sleeps.py", {"clock": "cpu"})
        _, nap = entry(run.stats(), "nap", "sleeps")
        self.assertEqual(nap[:2], (5, 5))
        self.assertLess(nap[2], 0.1 * run.truth()["nap_wall"])


class Nested(unittest.TestCase):
    def test_counts_edges_and_times(self):
        def check():
            run = run_profiled("nested.py")
            stats, truth = run.stats(), run.truth()
            for name, calls in (("outer", 10), ("middle", 20), ("inner", 60),
                                ("spin", 90)):
                _, value = entry(stats, name, "nested")
                self.assertEqual(value[:2], (calls, calls), name)
            self.assertEqual(caller_edge(stats, "middle", "outer", "nested")[:2],
                             (20, 20))
            self.assertEqual(caller_edge(stats, "inner", "middle", "nested")[:2],
                             (60, 60))
            spin_from = {name: caller_edge(stats, "spin", name, "nested")
                         for name in ("outer", "middle", "inner")}
            self.assertEqual([spin_from[n][0] for n in ("outer", "middle", "inner")],
                             [10, 20, 60])
            _, outer = entry(stats, "outer", "nested")
            _, middle = entry(stats, "middle", "nested")
            _, inner = entry(stats, "inner", "nested")
            check_times([
                ("outer->spin", spin_from["outer"][3], truth["outer"]),
                ("middle->spin", spin_from["middle"][3], truth["middle"]),
                ("inner->spin", spin_from["inner"][3], truth["inner"]),
                ("inner cum", inner[3], truth["inner"]),
                ("middle cum", middle[3], truth["middle"] + truth["inner"]),
                ("outer cum", outer[3], truth["outer_cum"]),
            ])
        with_retries(check)


class Recursion(unittest.TestCase):
    def test_primitive_calls_and_cumulative_time(self):
        def check():
            run = run_profiled("recursive.py")
            stats, truth = run.stats(), run.truth()
            _, rec = entry(stats, "rec", "recursive")
            self.assertEqual(rec[:2], (4, 24))  # primitive, total
            self.assertEqual(caller_edge(stats, "rec", "main", "recursive")[:2],
                             (4, 4))
            # cProfile's edge rule: total 20, primitive 4 (the first rec->rec
            # of each outer call).
            self.assertEqual(caller_edge(stats, "rec", "rec", "recursive")[:2],
                             (20, 4))
            _, ping = entry(stats, "ping", "recursive")
            _, pong = entry(stats, "pong", "recursive")
            self.assertEqual(ping[:2], (3, 12))
            self.assertEqual(pong[:2], (3, 9))
            check_times([
                ("rec cum (outermost only)", rec[3], truth["rec_cum"]),
                ("rec->wait", caller_edge(stats, "wait", "rec", "recursive")[3],
                 truth["rec_own"]),
                ("ping cum", ping[3], truth["ping_cum"]),
            ])
        with_retries(check)


class Generators(unittest.TestCase):
    def test_one_call_per_activation(self):
        def check():
            run = run_profiled("generators.py")
            stats, truth = run.stats(), run.truth()
            _, produce = entry(stats, "produce", "generators")
            _, consume = entry(stats, "consume", "generators")
            self.assertEqual(truth["produce_resumed"], 30)
            self.assertEqual(produce[:2], (3, 3))
            self.assertEqual(consume[:2], (3, 3))
            # Every resume is charged to the same function and edge.
            edge = caller_edge(stats, "produce", "consume", "generators")
            self.assertEqual(edge[:2], (3, 3))
            check_times([("produce own", produce[2], truth["produce"]),
                         ("consume->produce", edge[2], truth["produce"]),
                         ("consume own", consume[2], truth["consume"]),
                         ("consume cum", consume[3],
                          truth["consume"] + truth["produce"])])
        with_retries(check)


class AsyncioTasks(unittest.TestCase):
    def test_tasks(self):
        def check():
            run = run_profiled("async_tasks.py")
            stats, truth = run.stats(), run.truth()
            _, worker = entry(stats, "worker", "async_tasks")
            _, step = entry(stats, "step", "async_tasks")
            self.assertEqual(worker[:2], (5, 5))
            self.assertEqual(step[:2], (5, 5))
            self.assertEqual(caller_edge(stats, "step", "worker", "async_tasks")[:2],
                             (5, 5))
            check_times([("worker own", worker[2], truth["worker"]),
                         ("step own", step[2], truth["step"]),
                         ("worker cum", worker[3],
                          truth["worker"] + truth["step"])])
        with_retries(check)


class Threads(unittest.TestCase):
    def check(self, clock):
        run = run_profiled("threads.py", {"clock": clock}, truth_clock=clock)
        stats, truth = run.stats(), run.truth()
        _, busy = entry(stats, "busy", "threads")
        _, work = entry(stats, "work", "threads")
        self.assertEqual(busy[:2], (80, 80))
        self.assertEqual(work[:2], (4, 4))
        check_times([("busy own", busy[2], truth["busy"])])

    def test_wall_clock(self):
        with_retries(lambda: self.check("wall"))

    def test_cpu_clock(self):
        with_retries(lambda: self.check("cpu"))


class Exceptions(unittest.TestCase):
    def test_exception_escaping_three_frames(self):
        def check():
            run = run_profiled("exceptions.py")
            stats, truth = run.stats(), run.truth()
            for name in ("level1", "level2", "level3"):
                _, value = entry(stats, name, "exceptions")
                self.assertEqual(value[:2], (10, 10), name)
            self.assertEqual(
                caller_edge(stats, "level3", "level2", "exceptions")[:2], (10, 10))
            _, level1 = entry(stats, "level1", "exceptions")
            _, level3 = entry(stats, "level3", "exceptions")
            check_times([
                ("level1 cum", level1[3], truth["level1_cum"]),
                ("level3 cum", level3[3], truth["level3"]),
                ("level2->wait", caller_edge(stats, "wait", "level2",
                                             "exceptions")[3], truth["level2"]),
            ])
        with_retries(check)


class CodeChurn(unittest.TestCase):
    def test_dead_code_objects_do_not_alias(self):
        # Freed code objects' addresses are reused; every function must
        # still get exactly its own one call.
        run = run_profiled("code_churn.py")
        calls = {key[2]: value[:2] for key, value in run.stats().stats.items()
                 if key[2].startswith("churn_")}
        self.assertEqual(len(calls), 3000)
        self.assertEqual(set(calls.values()), {(1, 1)})


class PathBudget(unittest.TestCase):
    """Past max_paths call paths, new paths are kept flat
    (per caller, callee and recursion flags): function and edge figures stay
    exact, only the stacks lose detail."""

    @staticmethod
    def counts(stats, file_part):
        table = {}
        for key, (cc, nc, _, _, callers) in stats.stats.items():
            if file_part in key[0]:
                table[key[2]] = (cc, nc, sorted(
                    (caller[2], tuple(value[:2]))
                    for caller, value in callers.items()))
        return table

    def test_counts_survive_a_tiny_budget(self):
        for workload in ("recursive.py", "nested.py", "generators.py"):
            full = run_profiled(workload)
            tiny = run_profiled(workload, {"max_paths": 6})
            stem = workload[:-3]
            self.assertEqual(self.counts(tiny.stats(), stem),
                             self.counts(full.stats(), stem), workload)
            ET.parse(tiny.files["svg"])  # the overflow node draws too
            roots = {frame for stack, _ in tiny.collapsed() for frame in stack}
            self.assertIn("[more call paths]", roots)
            total_us = sum(count for _, count in tiny.collapsed())
            self.assertLessEqual(abs(total_us - tiny.stats().total_tt * 1e6), 2)

    def test_times_survive_a_tiny_budget(self):
        def check():
            run = run_profiled("recursive.py", {"max_paths": 6})
            stats, truth = run.stats(), run.truth()
            _, rec = entry(stats, "rec", "recursive")
            check_times([("rec cum (outermost only)", rec[3], truth["rec_cum"]),
                         ("rec->wait", caller_edge(stats, "wait", "rec",
                                                   "recursive")[3],
                          truth["rec_own"])])
        with_retries(check)


if __name__ == "__main__":
    unittest.main()
