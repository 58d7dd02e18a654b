"""bench/host/run.py - what merely owning the hook costs, with pyhooks.

For each interpreter, each workload (workloads.py) and each configuration,
runs a fresh process (child.py) and reports the time ratio against plain
python, as the median over rounds of per-round ratios; configurations run in
a rotating order each round, so the machine's slow and fast phases spread
over all of them. Process CPU time. Prints markdown tables.

Configurations:
  none           `import pyhooks`, no plugin (nothing may be installed)
  bare_hook      a foreign PEP 523 hook that only calls CPython's evaluator
                 (the floor any hook pays: tests/foreign/foreign_eval.c)
  observer1/3    one / three pass-through observers (tests/plugins noop)
  observer3_disable
                 three observers that answer DISABLE for every code object
                 (how a pass-through observer opts out, as in PEP 669)
  ..._hook       the same, forced onto the eval-frame hook (3.12+, where
                 observers otherwise use sys.monitoring)
  evaluator      one evaluator that declines every frame

Usage:
  python3 bench/host/run.py --build build [--rounds 5] [--repeat 3]
                            [--python EXE ...] [--workload NAME ...]
"""

import argparse
import math
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = ["calls", "methods", "loops", "generators"]


def configs_for(version):
    configs = ["none", "bare_hook", "observer1", "observer3",
               "observer3_disable", "evaluator"]
    if version >= (3, 12):
        configs[5:5] = ["observer1_hook", "observer3_hook",
                        "observer3_disable_hook"]
    return configs


def interpreter_version(python):
    out = subprocess.run([python, "-c", "import sys;print(*sys.version_info[:3])"],
                         capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in out.split())


def measure(python, config, workload, repeat, env):
    result = subprocess.run(
        [python, os.path.join(HERE, "child.py"), config, workload, str(repeat)],
        capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise SystemExit("%s %s %s failed:\n%s" % (python, config, workload,
                                                   result.stderr))
    seconds, checksum = result.stdout.split()
    return float(seconds), checksum


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def bench_interpreter(python, args, env):
    version = interpreter_version(python)
    configs = ["plain"] + configs_for(version)
    ratios = {(c, w): [] for c in configs[1:] for w in args.workload}
    plain_times = {w: [] for w in args.workload}
    for round_index in range(args.rounds):
        for workload in args.workload:
            order = configs[round_index % len(configs):] + \
                configs[:round_index % len(configs)]
            times, checksums = {}, set()
            for config in order:
                times[config], checksum = measure(python, config, workload,
                                                  args.repeat, env)
                checksums.add(checksum)
            if len(checksums) != 1:
                raise SystemExit("checksums differ for %s: %s" %
                                 (workload, checksums))
            plain_times[workload].append(times["plain"])
            for config in configs[1:]:
                ratios[config, workload].append(times[config] / times["plain"])
        print("  round %d/%d done" % (round_index + 1, args.rounds),
              file=sys.stderr)
    name = "CPython %d.%d.%d (%s)" % (version + (python,))
    print("\n### %s\n" % name)
    print("| configuration | " + " | ".join(args.workload) + " | geomean |")
    print("|---|" + "---:|" * (len(args.workload) + 1))
    print("| plain (ms) | " + " | ".join(
        "%.1f" % (1000 * statistics.median(plain_times[w]))
        for w in args.workload) + " | |")
    for config in configs[1:]:
        cells = [statistics.median(ratios[config, w]) for w in args.workload]
        print("| %s | %s | **%.2f** |" % (
            config, " | ".join("%.2f" % c for c in cells), geomean(cells)))
    print("\n(median of %d rounds of paired ratios; process CPU time; each "
          "value the median of %d runs)" % (args.rounds, args.repeat))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workload", action="append", choices=WORKLOADS)
    args = parser.parse_args()
    args.workload = args.workload or WORKLOADS
    build = os.path.abspath(args.build)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(build, "stage", "lib", "pyhooks", "python")
    env["PYHOOKS_BENCH_PLUGIN_DIR"] = os.path.join(build, "tests", "plugins")
    env["PYHOOKS_BENCH_EXT_DIR"] = os.path.join(build, "tests", "ext")
    pythons = args.python or open(os.path.join(build, "pythons.txt")).read().split()
    for python in pythons:
        print("benchmarking %s ..." % python, file=sys.stderr)
        bench_interpreter(python, args, env)


if __name__ == "__main__":
    main()
