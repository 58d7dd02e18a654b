"""merge = true under `pyhooks run`: the traces of children forked and
spawned by multiprocessing, and of one killed by SIGKILL, merged into the
program's trace at exit, one process track each with every slice the child
wrote; the killed child's marked incomplete; merged files removed; a stale
file of an earlier run left alone; without merge, pid-named files."""

import collections
import glob
import os
import subprocess
import unittest

from tracer_support import (PYTHON, WORKLOADS, decode, have_protobuf,
                            scratch_directory, short)

STAGE = os.environ.get("PYHOOKS_STAGE", "")


def cli_run(script, options, cwd):
    """`pyhooks run -p tracer -o tracer.KEY=VALUE ... script`: the launcher
    is what traces new interpreters."""
    cmd = [os.path.join(STAGE, "bin", "pyhooks"), "run", "--python", PYTHON,
           "-p", "tracer"]
    for key, value in options.items():
        cmd += ["-o", "tracer.%s=%s" % (key, value)]
    proc = subprocess.run(cmd + [str(WORKLOADS / script)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise AssertionError("pyhooks run %s failed (%d):\n%s\n%s"
                             % (script, proc.returncode, proc.stdout,
                                proc.stderr))
    return proc


def by_process(trace):
    """{pid: Counter(short names of spawns_children.py's functions)}."""
    counts = collections.defaultdict(collections.Counter)
    for s in trace["slices"]:
        if "spawns_children.py:" in s["name"]:
            counts[s["pid"]][short(s["name"])] += 1
    return counts


@unittest.skipUnless(STAGE and os.path.exists(os.path.join(STAGE, "bin",
                                                           "pyhooks")),
                     "needs the staged pyhooks (PYHOOKS_STAGE)")
@unittest.skipUnless(have_protobuf(), "needs protoc and python3-protobuf")
class Merge(unittest.TestCase):
    def check_merged(self, suffix, stale=False):
        directory = scratch_directory()
        trace_path = os.path.join(directory, "t" + suffix)
        if stale:
            # A child's file of an earlier run, from before this one.
            old = os.path.join(directory, "t.pid1" + suffix)
            with open(old, "w") as f:
                f.write("an earlier run's")
            os.utime(old, (1, 1))
        proc = cli_run("spawns_children.py",
                       {"merge": "true", "output": "t" + suffix},
                       cwd=directory)
        forked, spawned, killed = map(int, proc.stdout.split())
        trace = decode(trace_path)
        pids = {p["pid"] for p in trace["processes"]}
        self.assertLessEqual({forked, spawned, killed}, pids)
        counts = by_process(trace)
        (program,) = [pid for pid, names in counts.items()
                      if names["in_program"]]
        self.assertEqual(counts[program]["in_program"], 1)
        self.assertEqual(counts[forked]["in_forked_child"], 1)
        self.assertEqual(counts[spawned]["in_spawned_child"], 1)
        for pid in (program, forked, spawned):
            self.assertEqual(counts[pid]["tick"], 0, pid)
        # The killed child: what its writer wrote before the kill (whole
        # chunks of 4096 slices: Perfetto), not all 10000 calls.
        self.assertGreater(counts[killed]["tick"], 0)
        self.assertLess(counts[killed]["tick"], 10000)
        if suffix == ".perfetto-trace":
            self.assertGreaterEqual(counts[killed]["tick"], 4096)
        marks = [i for i in trace["instants"]
                 if i["args"].get("trace_incomplete")]
        killed_marks = [i for i in marks
                        if "process %d did not end" % killed in i["name"]]
        self.assertEqual(len(killed_marks), 1, marks)
        for pid in (program, forked, spawned):
            self.assertFalse([i for i in marks
                              if "process %d " % pid in i["name"]], pid)
        # Every merged file is gone (multiprocessing's resource tracker
        # may still run at the program's exit: its file stays).
        left = {os.path.basename(p) for p in
                glob.glob(os.path.join(directory, "t.pid*"))}
        for pid in (forked, spawned, killed):
            self.assertNotIn("t.pid%d%s" % (pid, suffix), left)
        if stale:
            self.assertIn("t.pid1" + suffix, left)
            self.assertNotIn(1, pids)
        return trace

    def test_perfetto_merge(self):
        trace = self.check_merged(".perfetto-trace", stale=True)
        # One process track per process, named by its command line.
        names = {p["pid"]: p["name"] for p in trace["processes"]}
        self.assertTrue(all("python" in name for name in names.values()))
        self.assertTrue(any("multiprocessing.spawn" in name
                            for name in names.values()), names)

    def test_json_merge(self):
        self.check_merged(".json")

    def test_without_merge_children_write_their_own_files(self):
        # A new interpreter that inherited the plugins names its file by
        # pid too: it never writes over the program's.
        directory = scratch_directory()
        proc = cli_run("spawns_one.py", {"output": "t.json"}, cwd=directory)
        spawned = int(proc.stdout)
        program = decode(os.path.join(directory, "t.json"))
        child = decode(os.path.join(directory, "t.pid%d.json" % spawned))
        self.assertIn("parent_only", {short(s["name"])
                                      for s in program["slices"]})
        self.assertEqual({s["pid"] for s in child["slices"]
                          if short(s["name"]) == "spawned_only"}, {spawned})

if __name__ == "__main__":
    unittest.main()
