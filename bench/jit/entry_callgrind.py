"""bench/jit/entry_callgrind.py - instructions per call of a function the
jit compiles and of one it declines, called from interpreted Python, under
valgrind's callgrind: how compiled code is entered (3.11: the eval-frame
hook and evaluate; 3.12+: the host function entry from vectorcall) and what
declined code pays.

Configurations:
  plain         no tool
  jit_declined  the jit loaded, the program excluded (`exclude`): the code
                it declines (3.11: behind the hook; 3.12+: no hook at all)
  jit_leaf      the jit's defaults (threshold 0): ident() is a leaf (no
                loop, no call), declined at its first call
  jit_compiled  ident() compiled (threshold 0, leaves): each call enters the
                compiled code (3.11: hook -> evaluate; 3.12+: vectorcall ->
                the host's trampoline -> entry_call)

Two fresh processes per configuration call ident(i) LOW and HIGH times
(entry_callgrind_child.py); the difference of their totals divided by the
difference in calls is one call's cost, loop included, start-up and
compilation cancelled out.

Usage: python3 bench/jit/entry_callgrind.py --build build [--python EXE]...
"""

import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from callgrind_count import collected  # noqa: E402
LOW, HIGH = 20000, 60000
CONFIGS = ["plain", "jit_declined", "jit_leaf", "jit_compiled"]


def instructions(python, config, calls, env):
    child = os.path.join(HERE, "entry_callgrind_child.py")
    return collected(python, child, [config, calls], env)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing measured")
        return 1
    build = os.path.abspath(args.build)
    stage = os.path.join(build, "stage", "lib", "pyhooks")
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=os.path.join(stage, "python"),
               PYHOOKS_BENCH_JIT=os.path.join(stage, "plugins",
                                              "pyhooks_jit.so"))
    pythons = args.python or open(
        os.path.join(build, "pythons.txt")).read().split()
    for python in pythons:
        version = subprocess.run(
            [python, "-c", "import sys;print('%d.%d.%d' % sys.version_info"
             "[:3])"], capture_output=True, text=True).stdout.strip()
        per_call = {}
        for config in CONFIGS:
            low = instructions(python, config, LOW, env)
            high = instructions(python, config, HIGH, env)
            per_call[config] = (high - low) / (HIGH - LOW)
        print("\n#### CPython %s: instructions per call of ident(i) from an "
              "interpreted loop (callgrind)\n" % version)
        print("| configuration | Ir per call | over plain |")
        print("|---|---:|---:|")
        for config in CONFIGS:
            print("| %s | %.0f | %s |" % (
                config, per_call[config], "" if config == "plain" else
                "%+.0f" % (per_call[config] - per_call["plain"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
