"""bench/profiler/callgrind.py - exact instructions per call of the pyhooks
profiler beside cProfile and the host alone, under valgrind's callgrind; and
the CI regression check (profiler_cost@ tests).

Instruction counts do not depend on the machine's load. For each
configuration and workload two fresh processes run the workload LOW and HIGH
times after a warm-up (callgrind_child.py); the difference of their
instruction totals over the difference in units is the cost of one unit,
with start-up, set-up and the writing of the profile cancelled out.

Workloads:
  fib    per Python call (fib(18), 8361 calls, no C call)
  ccall  per C call (len() in a loop; 3.12+ only: 3.11 has no C-call
         events for the profiler)
Configurations:
  plain              no tool
  cprofile           cProfile.Profile().enable() (builtins listed)
  host               a no-op pyhooks observer on the profiler's frame events
                     (tests/plugins noop): the host's share of the profiler
  profiler           the profiler, builtins off (its default), no files
  host_c             (3.12+) a no-op observer that also takes C-call events
  profiler_builtins  (3.12+) the profiler with builtins = true
"Profiler's own" is profiler - host (profiler_builtins - host_c); "share" is
(config - plain) / (cprofile - plain), the instruction analogue of the
timing share in docs/profiler.md.

Usage:
  python3 bench/profiler/callgrind.py --build build [--python EXE ...]
  python3 bench/profiler/callgrind.py --build build --python EXE --check
      fails if a profiler configuration's count per unit grew by more than
      10% over bench/profiler/callgrind_figures.json (recorded for that
      exact CPython version); exits 77 (skipped) without valgrind or
      without figures for the version.
  --record rewrites that file's entry for each interpreter measured.
"""

import argparse
import concurrent.futures
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from callgrind_count import (SKIPPED, compare, figures_key,  # noqa: E402
                             interpreter_version, load_figures, per_unit,
                             save_figures)


FIGURES = os.path.join(HERE, "callgrind_figures.json")
UNITS_PER_RUN = {"fib": 8361, "ccall": 4000}
CHECKED = ("profiler", "profiler_builtins")


def rows_for(version):
    """(configuration, workload) pairs measured on this CPython."""
    rows = [(c, "fib") for c in ("plain", "cprofile", "host", "profiler")]
    if version >= (3, 12):
        rows += [(c, "fib") for c in ("host_c", "profiler_builtins")]
        rows += [(c, "ccall") for c in ("plain", "cprofile", "host_c",
                                        "profiler_builtins")]
    return rows


def row_name(config, workload):
    return "%s/%s" % (workload, config)


def row_per_unit(python, config, workload, env, pool):
    child = os.path.join(HERE, "callgrind_child.py")
    return per_unit(python, child, [config, workload],
                    UNITS_PER_RUN[workload], env, pool)


def measure(python, rows, env, jobs):
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        with concurrent.futures.ThreadPoolExecutor(len(rows)) as outer:
            futures = {row_name(c, w): outer.submit(row_per_unit, python, c,
                                                    w, env, pool)
                       for c, w in rows}
            return {name: round(f.result(), 1) for name, f in futures.items()}


HOST_OF = {"profiler": "host", "profiler_builtins": "host_c"}


def print_table(name, figures):
    print("\n### %s: instructions per unit (callgrind)\n" % name)
    print("| workload | configuration | Ir per unit | over plain | "
          "share of cProfile's | profiler's own (over its host) |")
    print("|---|---|---:|---:|---:|---:|")
    for row, value in figures.items():
        workload, config = row.split("/")
        plain = figures.get(workload + "/plain")
        cprofile = figures.get(workload + "/cprofile")
        host = figures.get("%s/%s" % (workload, HOST_OF.get(config, "")))
        over = "+%.0f" % (value - plain) if plain and config != "plain" else ""
        share = ("%.2f" % ((value - plain) / (cprofile - plain))
                 if plain and cprofile and config not in ("plain",
                                                          "cprofile") else "")
        own = "+%.0f" % (value - host) if host else ""
        print("| %s | %s | %.0f | %s | %s | %s |" % (workload, config, value,
                                                    over, share, own))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--figures", default=FIGURES,
                        help="recorded figures (default: %(default)s)")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = os.path.join(build, "stage", "lib", "pyhooks",
                                     "python")
    env["PYHOOKS_BENCH_PLUGIN_DIR"] = os.path.join(build, "tests", "plugins")
    recorded = load_figures(args.figures)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing measured")
        return SKIPPED if args.check else 1
    pythons = args.python or open(
        os.path.join(build, "pythons.txt")).read().split()
    status = 0
    for python in pythons:
        version = interpreter_version(python)
        key = figures_key(python, version)
        rows = rows_for(version)
        if args.check:
            if key not in recorded:
                print("no recorded figures for CPython %s in %s: skipped" %
                      (key, args.figures))
                return SKIPPED
            rows = [(c, w) for c, w in rows
                    if c in CHECKED and row_name(c, w) in recorded[key]]
        figures = measure(python, rows, env, args.jobs)
        print_table("CPython %s (%s)" % (key, python), figures)
        if args.check:
            status |= compare(key, figures, recorded[key],
                              "the profiler's cost",
                              "bench/profiler/callgrind.py")
        if args.record:
            recorded[key] = figures
    if args.record:
        save_figures(args.figures, recorded)
    return status


if __name__ == "__main__":
    sys.exit(main())
