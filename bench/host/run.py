"""bench/host/run.py - what the host costs beside the CPython mechanisms it
sits on, in one run per CPython.

For each interpreter, each workload and each configuration, runs a fresh
process (child.py) and reports the time ratio against plain python, as the
median over rounds of per-round ratios; configurations run in a rotating
order each round, so the machine's slow and fast phases spread over all of
them. Process CPU time. Prints markdown tables: ratios per workload with
their geomean, ns per call over plain on fib (the `calls` workload, 635621
calls), and with --callgrind the exact instructions per call
(callgrind.py).

Workloads: the in-tree ones (workloads.py: calls, methods, loops,
generators), the programs of bench/programs (`program:NAME`), and with
--pyperformance DIR the pyperformance programs (`pyperformance:NAME`, run
unmodified through pyperf_stub). They are not in this tree; fetch them with
  git clone --depth 1 https://github.com/python/pyperformance DIR

Configurations (the floors first):
  monitoring_c6  sys.monitoring with no-op C callbacks on the six events
                 pyhooks subscribes for an observer (3.12+; floors.py)
  bare_hook      a foreign PEP 523 hook that only calls CPython's evaluator
                 (the floor any hook pays: tests/foreign/foreign_eval.c)
  none           `import pyhooks`, no plugin (nothing may be installed)
  observer1/3    one / three pass-through observers (tests/plugins noop)
  observer3_disable
                 three observers that answer DISABLE for every code object
                 (how a pass-through observer opts out, as in PEP 669)
  ..._hook       the same, forced onto the eval-frame hook (3.12+, where
                 observers otherwise use sys.monitoring)
  evaluator      one evaluator that declines every frame

Usage:
  python3 bench/host/run.py --build build [--rounds 5] [--repeat 3]
      [--python EXE ...] [--workload NAME ...] [--no-programs]
      [--pyperformance DIR [--pyperformance-loops 2]] [--callgrind]
      [--config NAME ...]
"""

import argparse
import glob
import math
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOADS = ["calls", "methods", "loops", "generators"]
FIB_CALLS = 635621  # calls of fib(27), the `calls` workload
# The pyperformance programs of research/host-dispatch-2026-12.md.
PYPERFORMANCE = ["richards", "deltablue", "go", "hexiom", "chaos", "float",
                 "nbody", "spectral_norm", "generators", "coroutines",
                 "json_dumps", "raytrace", "fannkuch", "nqueens",
                 "unpack_sequence", "pyflate"]


def configs_for(version):
    configs = ["bare_hook", "none", "observer1", "observer3",
               "observer3_disable", "evaluator"]
    if version >= (3, 12):
        configs[0:0] = ["monitoring_c6"]
        configs[-1:-1] = ["observer1_hook", "observer3_hook",
                          "observer3_disable_hook"]
    return configs


def in_tree_programs():
    return sorted("program:" + os.path.basename(path)[:-3] for path in
                  glob.glob(os.path.join(HERE, "..", "programs", "*.py")))


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
    seconds, checksum = result.stdout.split(None, 1)
    return float(seconds), checksum


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def bench_interpreter(python, args, env):
    version = interpreter_version(python)
    configs = ["plain"] + [c for c in configs_for(version)
                           if not args.config or c in args.config]
    ratios = {(c, w): [] for c in configs[1:] for w in args.workload}
    plain_times = {w: [] for w in args.workload}
    for round_index in range(args.rounds):
        for workload in args.workload:
            order = configs[round_index % len(configs):] + \
                configs[:round_index % len(configs)]
            times, checksums = {}, set()
            repeat = (args.pyperformance_loops
                      if workload.startswith("pyperformance:")
                      else args.repeat)
            for config in order:
                times[config], checksum = measure(python, config, workload,
                                                  repeat, env)
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
    if "calls" in args.workload:
        plain = statistics.median(plain_times["calls"])
        print("\nns per fib call over plain (plain: %.1f ns per call):\n" %
              (1e9 * plain / FIB_CALLS))
        print("| configuration | ns per call over plain |")
        print("|---|---:|")
        for config in configs[1:]:
            ratio = statistics.median(ratios[config, "calls"])
            print("| %s | %+.1f |" % (config,
                                      1e9 * plain * (ratio - 1) / FIB_CALLS))
    if args.callgrind:
        import callgrind
        figures = callgrind.measure(python, version, env, jobs=2)
        callgrind.print_table("CPython %d.%d.%d" % version, version, figures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workload", action="append",
                        help="in-tree workload, program:NAME or "
                        "pyperformance:NAME (default: all found)")
    parser.add_argument("--no-programs", action="store_true",
                        help="leave out bench/programs")
    parser.add_argument("--config", action="append",
                        help="only these configurations (plain is always run)")
    parser.add_argument("--pyperformance", metavar="DIR",
                        help="a pyperformance checkout: git clone --depth 1 "
                        "https://github.com/python/pyperformance DIR")
    parser.add_argument("--pyperformance-loops", type=int, default=2)
    parser.add_argument("--callgrind", action="store_true",
                        help="add callgrind.py's instructions per call")
    args = parser.parse_args()
    if not args.workload:
        args.workload = list(WORKLOADS)
        if not args.no_programs:
            args.workload += in_tree_programs()
        if args.pyperformance:
            args.workload += ["pyperformance:" + p for p in PYPERFORMANCE]
    build = os.path.abspath(args.build)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(build, "stage", "lib", "pyhooks", "python")
    env["PYHOOKS_BENCH_PLUGIN_DIR"] = os.path.join(build, "tests", "plugins")
    env["PYHOOKS_BENCH_EXT_DIR"] = os.path.join(build, "tests", "ext")
    if args.pyperformance:
        env["PYHOOKS_BENCH_PYPERFORMANCE"] = os.path.abspath(args.pyperformance)
    pythons = args.python or open(os.path.join(build, "pythons.txt")).read().split()
    for python in pythons:
        print("benchmarking %s ..." % python, file=sys.stderr)
        bench_interpreter(python, args, env)


if __name__ == "__main__":
    main()
