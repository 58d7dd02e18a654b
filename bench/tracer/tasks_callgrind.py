"""bench/tracer/tasks_callgrind.py - what the asyncio task tracks cost code
that is no coroutine: instructions per traced call of recursive fib under
valgrind's callgrind, the tracer with async_tracks off and on, and
optionally a tracer built from another tree (--baseline DIR, the directory
holding its pyhooks_tracer.so) beside them.

Each configuration runs fib(LOW) and fib(HIGH) in fresh processes
(PYTHONHASHSEED=0, output /dev/null); the difference of their totals over
the difference in calls is one call's cost, the whole process's
instructions (interpreter, host, tracer, writer thread).

Usage: python3 bench/tracer/tasks_callgrind.py --build build
       [--python EXE] [--baseline DIR]
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
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
fib(n)
"""
LOW, HIGH = 20, 25


def calls(n):
    a, b = 1, 1  # fib(n) makes fib_calls(n) = 2 * F(n + 1) - 1 calls
    for _ in range(n):
        a, b = b, a + b
    return 2 * a - 1


def instructions(python, stage, plugins, tracks, n):
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "cg.out")
        env = dict(os.environ, PYTHONHASHSEED="0",
                   PYTHONPATH=os.path.join(stage, "lib", "pyhooks", "python"))
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
             python, "-c", CHILD, plugins, tracks, str(n)],
            env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit("the run failed:\n" + proc.stderr[-2000:])
        return int(re.search(r"Collected : (\d+)", proc.stderr).group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--baseline")
    args = parser.parse_args()
    stage = os.path.join(os.path.abspath(args.build), "stage")
    ours = os.path.join(stage, "lib", "pyhooks", "plugins")
    configs = [("async_tracks off", ours, "off"),
               ("async_tracks on", ours, "on")]
    if args.baseline:
        configs.insert(0, ("baseline", os.path.abspath(args.baseline), "-"))
    per_call = calls(HIGH) - calls(LOW)
    print("| tracer | instructions per fib call |")
    print("|---|---|")
    for name, plugins, tracks in configs:
        low = instructions(args.python, stage, plugins, tracks, LOW)
        high = instructions(args.python, stage, plugins, tracks, HIGH)
        print("| %s | %.1f |" % (name, (high - low) / per_call), flush=True)


if __name__ == "__main__":
    main()
