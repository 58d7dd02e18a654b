"""The JIT inside the chain: the tracer and the profiler see the same calls
of a hot recursive function with the JIT as without it (-p tracer -p jit,
-p profiler -p jit), and a pdb breakpoint in a function that is already
hot and compiled still stops there, with the program's output unchanged;
a sys.monitoring tool (3.12+) and cProfile see every line and call of a
function the JIT had compiled, and the JIT enters it again once they are
gone."""

import collections
import json
import pstats
import unittest

import subprocess

from jit_support import PYTHON, JitTest, plain, under_pyhooks

MINOR = int(subprocess.run(
    [PYTHON, "-c", "import sys; print(sys.version_info[1])"],
    capture_output=True, text=True, check=True).stdout)

WORKLOAD = r'''
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def accumulate(n):
    total = 0.0
    for i in range(n):
        total += i * 0.25
    return total


def main():
    results = []
    for _ in range(5):
        results.append(fib(15))
        results.append(accumulate(1000))
    print(results)


main()
'''

OBSERVED = ("fib", "accumulate", "main")


class Observers(JitTest):
    def trace_calls(self, directory, jit):
        output = directory / ("trace-%s.json" % ("jit" if jit else "plain"))
        script = directory / "workload.py"
        result = under_pyhooks(
            script, jit=jit,
            plugins=["-p", "tracer", "-o", "tracer.output=%s" % output,
                     "-o", "tracer.summary=false"],
            cwd=str(directory))
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(output) as f:
            events = json.load(f)["traceEvents"]
        counts = collections.Counter()
        for event in events:
            if event.get("ph") == "X":
                name = event["name"].split(" ")[0]
                if name in OBSERVED:
                    counts[name] += 1
        return result.stdout, counts

    def profile_calls(self, directory, jit):
        output = directory / ("profile-%s.prof" % ("jit" if jit else "plain"))
        script = directory / "workload.py"
        result = under_pyhooks(
            script, jit=jit,
            plugins=["-p", "profiler", "-o", "profiler.output=%s" % output,
                     "-o", "profiler.collapsed=", "-o", "profiler.svg=",
                     "-o", "profiler.speedscope=",
                     "-o", "profiler.summary=0"],
            cwd=str(directory))
        self.assertEqual(result.returncode, 0, result.stderr)
        counts = {}
        for (filename, line, name), row in pstats.Stats(
                str(output)).stats.items():
            if name in OBSERVED and filename.endswith("workload.py"):
                counts[name] = (row[1], row[0])  # (calls, primitive calls)
        return result.stdout, counts

    def test_tracer_sees_the_same_calls(self):
        directory = self.write("workload.py", WORKLOAD).parent
        out_plain, without = self.trace_calls(directory, jit=False)
        out_jit, with_jit = self.trace_calls(directory, jit=True)
        self.assertEqual(out_plain, out_jit)
        # fib(15) makes 1973 calls; five of them.
        self.assertEqual(without["fib"], 5 * 1973, without)
        self.assertEqual(with_jit, without)

    def test_profiler_sees_the_same_calls(self):
        directory = self.write("workload.py", WORKLOAD).parent
        out_plain, without = self.profile_calls(directory, jit=False)
        out_jit, with_jit = self.profile_calls(directory, jit=True)
        self.assertEqual(out_plain, out_jit)
        self.assertEqual(without["fib"], (5 * 1973, 5), without)
        self.assertEqual(with_jit, without)


PDB_PROGRAM = r'''
def hot(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


for k in range(300):
    hot(k)
breakpoint()
print("result", hot(7))
'''

PDB_COMMANDS = "break hot\ncontinue\np n\nnext\nnext\ncontinue\n"


# CPython 3.13.0 itself: while any sys.monitoring tool has events (the jit
# counts calls at PY_START on 3.12+, as the profiler and tracer observe),
# breakpoint() stops at the line after the call instead of the call's line
# (docs/jit.md, "Known limits"). On 3.13 the expected run is plain python
# with such a tool, so the rest of the session is still compared exactly.
WITH_A_MONITORING_TOOL = r'''
import runpy
import sys

monitoring = sys.monitoring
monitoring.use_tool_id(3, "probe")
monitoring.register_callback(3, monitoring.events.PY_START,
                             lambda code, offset: monitoring.DISABLE)
monitoring.set_events(3, monitoring.events.PY_START)
runpy.run_path(sys.argv[1], run_name="__main__")
'''


class Debugger(JitTest):
    def test_breakpoint_in_a_hot_function_stops(self):
        script = self.write("hot.py", PDB_PROGRAM)
        if MINOR >= 13:
            wrapper = script.parent / "with_tool.py"
            wrapper.write_text(WITH_A_MONITORING_TOOL)
            expected = plain(wrapper, script, stdin=PDB_COMMANDS,
                             cwd=str(script.parent))
        else:
            expected = plain(script, stdin=PDB_COMMANDS,
                             cwd=str(script.parent))
        self.assertEqual(expected.returncode, 0, expected.stderr)
        # Under plain python pdb stops in hot() and prints n.
        self.assertIn("-> total = 0", expected.stdout)
        self.assertIn("(Pdb) 7\n", expected.stdout)
        self.assertIn("result 91", expected.stdout)
        actual = under_pyhooks(script, stdin=PDB_COMMANDS,
                               cwd=str(script.parent))
        self.assertSameRun(expected, actual, "pdb in a compiled function")


WATCHED = r'''
import collections
import cProfile
import pstats
import sys


def hot(n):
    total = 0
    for i in range(n):
        total += i
    return total


def warm():
    for _ in range(30):
        hot(100)


warm()
profile = cProfile.Profile()
profile.enable()
for n in range(3):
    hot(50 + n)
profile.disable()
print("cProfile calls of hot",
      [value[1] for key, value in pstats.Stats(profile).stats.items()
       if key[2] == "hot"])
if sys.version_info >= (3, 12):
    monitoring = sys.monitoring
    tool = monitoring.COVERAGE_ID
    lines = collections.Counter()

    def on_line(code, line):
        if code.co_name == "hot":
            lines[line - code.co_firstlineno] += 1

    monitoring.use_tool_id(tool, "coverage-like")
    monitoring.register_callback(tool, monitoring.events.LINE, on_line)
    monitoring.set_local_events(tool, hot.__code__, monitoring.events.LINE)
    print(hot(10))
    monitoring.set_local_events(tool, hot.__code__, 0)
    monitoring.set_events(tool, monitoring.events.LINE)
    print(hot(5))
    monitoring.set_events(tool, 0)
    monitoring.free_tool_id(tool)
    print("lines of hot", sorted(lines.items()))
warm()
'''


class OtherTools(JitTest):
    def test_monitoring_tools_and_cprofile_see_compiled_functions(self):
        script = self.write("watched.py", WATCHED)
        expected = plain(script)
        self.assertEqual(expected.returncode, 0, expected.stderr)
        self.assertIn("cProfile calls of hot [3]", expected.stdout)
        actual = under_pyhooks(script)
        self.assertSameRun(expected, actual, "other tools beside the jit")
        # hot ran compiled before the tools and after them.
        stats = self.assertRanCompiled(actual, "other tools beside the jit")
        self.assertGreaterEqual(stats["native"], 40, actual.stderr[-2000:])


if __name__ == "__main__":
    unittest.main()
