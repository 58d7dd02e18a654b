"""bench/host/entry_callgrind.py - instructions per call of a one-argument
Python function under valgrind's callgrind: plain, behind the eval-frame
hook, and routed through the host-mediated function entry (ABI 1.1,
plugin ABI policy HOST-25).

Configurations:
  plain           no tool: CPython pushes the callee's frame inline
  hook            a pyhooks evaluator that declines every frame (the hook)
  entry           the `router` test evaluator routes ident() to its native
                  entry, which returns the argument (HANDLED)
  entry_declined  the same entry declining every call: CPython's entry,
                  behind the host's trampoline (and the hook, since an
                  evaluator is active)
  entry_only, entry_only_declined
                  the same two with the router loaded as `entry_router`, an
                  entry evaluator (HOST-28): no eval-frame hook
  entry_only_unrouted
                  `entry_router` loaded, ident() not routed: what code an
                  entry evaluator declines costs

Two fresh processes per configuration call ident(i) LOW and HIGH times from
a Python loop (entry_callgrind_child.py); the difference of their totals
divided by the difference in calls is one call's cost, loop included.

Usage: python3 bench/host/entry_callgrind.py --build build [--python EXE]
(3.12+; the entry does not exist on 3.11)
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from callgrind_count import collected  # noqa: E402
LOW, HIGH = 20000, 60000
CONFIGS = ["plain", "hook", "entry", "entry_declined", "entry_only",
           "entry_only_declined", "entry_only_unrouted"]


def instructions(python, config, calls, env):
    child = os.path.join(HERE, "entry_callgrind_child.py")
    return collected(python, child, [config, calls], env)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing measured")
        return 1
    build = os.path.abspath(args.build)
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.path.join(build, "stage", "lib", "pyhooks",
                                       "python"),
               PYHOOKS_BENCH_PLUGIN_DIR=os.path.join(build, "tests",
                                                     "plugins"))
    pythons = args.python or open(
        os.path.join(build, "pythons.txt")).read().split()
    for python in pythons:
        version = subprocess.run(
            [python, "-c", "import sys;print('%d.%d.%d' % sys.version_info"
             "[:3])"], capture_output=True, text=True).stdout.strip()
        if tuple(int(x) for x in version.split(".")[:2]) < (3, 12):
            print("CPython %s: no function entries (3.12+): skipped" %
                  version)
            continue
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            runs = {(c, n): pool.submit(instructions, python, c, n, env)
                    for c in CONFIGS for n in (LOW, HIGH)}
            per_call = {c: (runs[c, HIGH].result() - runs[c, LOW].result()) /
                        (HIGH - LOW) for c in CONFIGS}
        print("\n### CPython %s: instructions per call of ident(i) in a "
              "loop (callgrind)\n" % version)
        print("| configuration | Ir per call | over plain |")
        print("|---|---:|---:|")
        for config in CONFIGS:
            print("| %s | %.0f | %s |" % (
                config, per_call[config], "" if config == "plain" else
                "%+.0f" % (per_call[config] - per_call["plain"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
