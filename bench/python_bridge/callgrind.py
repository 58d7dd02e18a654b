"""bench/python_bridge/callgrind.py - instructions per fib call of an
observer written in Python (run by the bridge plugin), beside a no-op C
observer and no tool at all, under valgrind's callgrind.

As bench/host/callgrind.py: for each configuration two fresh processes run
fib(18) (8361 calls) 1 and 3 times after a warm-up (callgrind_child.py); the
difference of their instruction totals over the difference in calls is the
cost of one call, start-up cancelled out. Instruction counts do not depend
on the machine's load.

Configurations:
  plain         no tool
  c_noop        one no-op C observer (tests/plugins NOOP variant: all frame
                events, answers OK)
  python_noop   a Python class with the five frame methods, each `pass`
  python_start  a Python class with on_start only (RETURN not subscribed)
  python_count  on_start counting calls per code object in a dict

Usage:
  python3 bench/python_bridge/callgrind.py --build build [--python EXE ...]
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from callgrind_count import collected  # noqa: E402
CALLS_PER_RUN = 8361  # calls of fib(18)
LOW, HIGH = 1, 3
CONFIGS = ["plain", "c_noop", "python_noop", "python_start", "python_count"]


def instructions(python, config, repeats, env):
    child = os.path.join(HERE, "callgrind_child.py")
    return collected(python, child, [config, repeats], env)


def per_call(python, config, env, pool):
    low = pool.submit(instructions, python, config, LOW, env)
    high = pool.submit(instructions, python, config, HIGH, env)
    return (high.result() - low.result()) / ((HIGH - LOW) * CALLS_PER_RUN)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = os.path.join(build, "stage", "lib", "pyhooks",
                                     "python")
    env["PYHOOKS_BENCH_PLUGIN_DIR"] = os.path.join(build, "tests", "plugins")
    pythons = args.python or open(
        os.path.join(build, "pythons.txt")).read().split()
    for python in pythons:
        version = subprocess.run(
            [python, "-c", "import sys; print(sys.version.split()[0])"],
            capture_output=True, text=True, check=True).stdout.strip()
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            figures = {c: per_call(python, c, env, pool) for c in CONFIGS}
        print("\n### CPython %s (%s): instructions per fib call\n"
              % (version, python))
        print("| configuration | Ir per call | over plain | over c_noop |")
        print("|---|---:|---:|---:|")
        for config, value in figures.items():
            over_plain = ("+%.0f" % (value - figures["plain"])
                          if config != "plain" else "")
            over_c = ("+%.0f (x%.1f)" % (
                value - figures["c_noop"],
                (value - figures["plain"]) /
                (figures["c_noop"] - figures["plain"]))
                if config.startswith("python") else "")
            print("| %s | %.0f | %s | %s |" % (config, value, over_plain,
                                               over_c))
    return 0


if __name__ == "__main__":
    sys.exit(main())
