"""bench/tracer/tasks_callgrind.py - what the asyncio task tracks cost:
instructions under valgrind's callgrind, the tracer with async_tracks off
and on, and optionally a tracer built from another tree (--baseline DIR,
the directory holding its pyhooks_tracer.so) beside them.

  fib    code that is no coroutine: per call of recursive fib
  steps  per step of an asyncio task (`await asyncio.sleep(0)` in a loop:
         each step is one coroutine run the loop begins, where the tracer
         asks which task runs)

Each configuration runs the workload at size LOW and HIGH in fresh
processes (PYTHONHASHSEED=0, output /dev/null); the difference of their
totals over the difference in calls (steps) is one call's (step's) cost,
the whole process's instructions (interpreter, host, tracer, writer).

Usage: python3 bench/tracer/tasks_callgrind.py --build build
       [--python EXE] [--baseline DIR] [--workload fib|steps]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

CHILD = r"""
import sys
import pyhooks
plugins, tracks, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
options = {"output": "/dev/null", "summary": False}
if tracks != "-":  # a baseline tracer may not have the option
    options["async_tracks"] = tracks == "on"
pyhooks.load("tracer", plugin_path=[plugins], options=options)
if sys.argv[4] == "fib":
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)
    fib(n)
else:
    import asyncio
    async def steps(n):
        for _ in range(n):
            await asyncio.sleep(0)
    asyncio.run(steps(n))
"""
SIZES = {"fib": (20, 25), "steps": (1000, 21000)}


def calls(n):
    a, b = 1, 1  # fib(n) makes fib_calls(n) = 2 * F(n + 1) - 1 calls
    for _ in range(n):
        a, b = b, a + b
    return 2 * a - 1


def instructions(python, stage, plugins, tracks, n, workload):
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "cg.out")
        env = dict(os.environ, PYTHONHASHSEED="0",
                   PYTHONPATH=os.path.join(stage, "lib", "pyhooks", "python"))
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
             python, "-c", CHILD, plugins, tracks, str(n), workload],
            env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit("the run failed:\n" + proc.stderr[-2000:])
        return int(re.search(r"Collected : (\d+)", proc.stderr).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--baseline")
    parser.add_argument("--workload", choices=sorted(SIZES), default="fib")
    args = parser.parse_args()
    low_n, high_n = SIZES[args.workload]
    stage = os.path.join(os.path.abspath(args.build), "stage")
    ours = os.path.join(stage, "lib", "pyhooks", "plugins")
    configs = [("async_tracks off", ours, "off"),
               ("async_tracks on", ours, "on")]
    if args.baseline:
        configs.insert(0, ("baseline", os.path.abspath(args.baseline), "-"))
    if args.workload == "fib":
        per_call = calls(high_n) - calls(low_n)
        print("| tracer | instructions per fib call |")
    else:
        per_call = high_n - low_n
        print("| tracer | instructions per task step |")
    print("|---|---|")
    for name, plugins, tracks in configs:
        low = instructions(args.python, stage, plugins, tracks, low_n,
                           args.workload)
        high = instructions(args.python, stage, plugins, tracks, high_n,
                            args.workload)
        print("| %s | %.1f |" % (name, (high - low) / per_call), flush=True)


if __name__ == "__main__":
    main()
