"""Options: wrong values fail with one clear line, default output names never
replace a file, explicit paths do, "" turns an output off, the summary, and
the include/exclude filters (with DISABLE making filtered code cheap)."""

import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from profiler_support import (PYTHON, USE_CLI, WORKLOADS, command, entry,
                              profiler_environment, run_profiled)

LOAD = ("import pyhooks, sys\n"
        "try:\n"
        "    pyhooks.load('profiler', options=%r)\n"
        "except pyhooks.PluginError as error:\n"
        "    print('PluginError:', error)\n"
        "    sys.exit(7)\n"
        "print('loaded')\n")


def load_with(options, cwd=None):
    return subprocess.run([PYTHON, "-c", LOAD % (options,)], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


class BadValues(unittest.TestCase):
    def assert_refused(self, options, *phrases):
        # load() raises PluginError; the plugin's reason is one line, naming
        # the plugin, wherever the host shows it (the exception, stderr).
        done = load_with(options)
        output = done.stdout + done.stderr
        self.assertEqual(done.returncode, 7, output)
        lines = [line for line in output.splitlines()
                 if "plugin 'profiler'" in line and phrases[0] in line]
        self.assertTrue(lines, output)
        for line in lines:
            for phrase in phrases:
                self.assertIn(phrase, line)

    def test_unknown_clock(self):
        self.assert_refused({"clock": "fast"}, 'clock="fast"', '"wall"', '"cpu"')

    def test_negative_summary(self):
        self.assert_refused({"summary": -1}, "summary=-1", "rows")

    def test_missing_directory(self):
        self.assert_refused({"output": "/nonexistent/dir/x.prof"},
                            "output=", "does not exist")

    def test_same_file_twice(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "same")
            self.assert_refused({"output": path, "svg": path}, "same file")

    def test_path_budget_out_of_range(self):
        self.assert_refused({"max_paths": 1}, "max_paths=1", "out of range")

    def test_unknown_timer(self):
        self.assert_refused({"timer": "rdtsc"}, 'timer="rdtsc"', '"auto"',
                            '"clock_gettime"')

    def test_forced_timer_is_reported(self):
        run = run_profiled("busy_calls.py", {"timer": "clock_gettime",
                                             "summary": 1}, args=["3"])
        self.assertIn("timer CLOCK_MONOTONIC;", run.stderr)

    def test_empty_pattern(self):
        self.assert_refused({"include": [""]}, "empty pattern")

    def test_good_values_load(self):
        with tempfile.TemporaryDirectory() as scratch:
            done = load_with({"clock": "cpu", "summary": 0, "include": ["x"]},
                             cwd=scratch)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("loaded", done.stdout)


class OutputNames(unittest.TestCase):
    def run_defaults(self, scratch, summary=20):
        # The three output options unset: the default names apply.
        env = dict(os.environ)
        env.update(profiler_environment({"summary": summary}))
        done = subprocess.run(
            command(WORKLOADS / "busy_calls.py", {"summary": summary}, ["3"]),
            cwd=scratch, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done

    def test_defaults_go_to_one_directory_one_set_per_run(self):
        with tempfile.TemporaryDirectory() as scratch:
            first = self.run_defaults(scratch)
            self.assertEqual(os.listdir(scratch), ["pyhooks-profile"])
            out = Path(scratch, "pyhooks-profile")
            # Collapsed stacks only on request.
            self.assertEqual(sorted(os.listdir(out)),
                             ["run-1.prof", "run-1.speedscope.json",
                              "run-1.svg"])
            self.assertIn("wrote pyhooks-profile/run-1.prof", first.stderr)
            self.assertIn("python -m pstats pyhooks-profile/run-1.prof",
                          first.stderr)
            second = self.run_defaults(scratch)
            self.assertIn("wrote pyhooks-profile/run-2.prof", second.stderr)
            self.assertIn("wrote pyhooks-profile/run-2.svg", second.stderr)
            # The newest run has the highest number; nothing is replaced.
            Path(out, "run-3.svg").write_text("mine")
            for name in ("run-1.prof", "run-1.svg", "run-1.speedscope.json"):
                os.remove(out / name)
            third = self.run_defaults(scratch)
            self.assertIn("wrote pyhooks-profile/run-4.speedscope.json",
                          third.stderr)
            self.assertEqual(Path(out, "run-3.svg").read_text(), "mine")
            self.assertFalse(Path(out, "run-1.prof").exists())

    def test_a_file_in_the_way_of_the_directory_is_refused(self):
        with tempfile.TemporaryDirectory() as scratch:
            Path(scratch, "pyhooks-profile").write_text("mine")
            env = dict(os.environ)
            env.update(profiler_environment({"summary": 0}))
            done = subprocess.run(
                command(WORKLOADS / "busy_calls.py", {"summary": 0}, ["3"]),
                cwd=scratch, env=env, capture_output=True, text=True,
                timeout=60)
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("pyhooks-profile exists and is not a directory",
                          done.stderr)
            self.assertEqual(Path(scratch, "pyhooks-profile").read_text(),
                             "mine")

    def test_explicit_paths_are_replaced(self):
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch, "mine.prof")
            target.write_text("old")
            run = run_profiled("busy_calls.py", {"output": str(target)},
                               args=["3"], directory=scratch)
            _, busy = entry(run.stats(), "busy", "busy_calls")
            self.assertEqual(busy[:2], (3, 3))
            leftovers = [n for n in os.listdir(scratch) if ".tmp-" in n]
            self.assertEqual(leftovers, [])

    def test_empty_string_turns_an_output_off(self):
        with tempfile.TemporaryDirectory() as scratch:
            run_profiled("busy_calls.py", {"output": "", "svg": "",
                                           "speedscope": "",
                                           "collapsed": "c.txt"},
                         args=["3"], directory=scratch)
            names = sorted(n for n in os.listdir(scratch) if n != "truth.json")
            self.assertEqual(names, ["c.txt"])

    def test_relative_paths_are_below_the_start_directory(self):
        with tempfile.TemporaryDirectory() as scratch:
            os.mkdir(os.path.join(scratch, "out"))
            run_profiled("busy_calls.py", {"output": "out/p.prof",
                                           "collapsed": "", "svg": "",
                                           "speedscope": ""},
                         args=["3"], directory=scratch)
            self.assertTrue(os.path.exists(os.path.join(scratch, "out", "p.prof")))


class Summary(unittest.TestCase):
    def test_rows_and_files(self):
        # Builtins off: spin's own time is its loop around perf_counter,
        # which would otherwise be listed on its own.
        run = run_profiled("nested.py", {"summary": 3, "builtins": False})
        text = run.stderr
        self.assertIn("pyhooks profiler: ", text)
        self.assertIn("top 3 by own time", text)
        self.assertIn("top 3 by cumulative time", text)
        own_table = text.split("top 3 by own time")[1].split("top 3 by")[0]
        rows = [line for line in own_table.splitlines()[2:] if line.strip()]
        self.assertEqual(len(rows), 3, own_table)
        self.assertIn("spin (", rows[0])  # nearly all own time is spin's
        # Paths are shown relative to the directory the program started in.
        for key in ("output", "collapsed", "svg", "speedscope"):
            self.assertIn("wrote " + Path(run.files[key]).name, text)

    def test_zero_rows_prints_nothing(self):
        run = run_profiled("nested.py", {"summary": 0})
        self.assertNotIn("pyhooks profiler", run.stderr)


class Filters(unittest.TestCase):
    def functions(self, run):
        return {(Path(key[0]).name, key[2]) for key in run.stats().stats}

    def test_include_only_one_module(self):
        # Builtins off: json's C encoder would be listed on its own (it is
        # called from measured code); the point here is the filter.
        run = run_profiled("filters_app.py", {"include": ["filters_app"],
                                              "builtins": False})
        files = {name for name, _ in self.functions(run)}
        self.assertEqual(files, {"filters_app.py"})
        stats = run.stats()
        _, encode = entry(stats, "encode", "filters_app")
        self.assertEqual(encode[:2], (300, 300))
        # json's time is charged to the nearest measured caller.
        self.assertGreater(encode[2], 0.0)
        self.assertAlmostEqual(encode[2], encode[3], delta=1e-9)

    def test_exclude_a_package_by_module_and_by_filename(self):
        for pattern in ("json", "*/json/*"):
            run = run_profiled("filters_app.py", {"exclude": [pattern]})
            functions = self.functions(run)
            json_files = [key for key in run.stats().stats
                          if "/json/" in key[0]]
            self.assertEqual(json_files, [])
            self.assertIn(("filters_app.py", "encode"), functions)
            self.assertIn(("filters_app.py", "main"), functions)

    @unittest.skipIf(USE_CLI, "reads pyhooks.counters() in the program")
    def test_filtered_code_is_disabled(self):
        run = run_profiled("filters_app.py", {"exclude": ["json"]},
                           env={"PRINT_COUNTERS": "1"})
        counters = json.loads(run.stdout.strip().splitlines()[-1])
        events = counters["plugins"]["profiler"]["events"]
        # 600 calls into json (300 dumps + 300 loads, more functions inside
        # them) reach the profiler only until each code object is DISABLEd.
        measured_calls = sum(value[1] for value in run.stats().stats.values())
        self.assertLess(events["start"], measured_calls + 60, events)


if __name__ == "__main__":
    unittest.main()
