"""bench/tracer/callgrind.py - the tracer's own cost in exact instructions
per call under valgrind's callgrind, beside the host's dispatch it sits on;
and the CI regression check (tracer_cost@ tests).

Each configuration runs a workload (callgrind_child.py) LOW and HIGH times
after a warm-up, in two fresh processes (PYTHONHASHSEED=0); the difference
of their instruction totals over the difference in calls is one call's
cost, start-up and set-up cancelled out. The whole process is counted: the
Python thread and the tracer's writer thread (encoding), as
time.process_time() counts both.

Workloads (per unit):
  fib       per Python call of recursive fib (8361 calls per run)
  builtins  per C call (len and abs in a loop, 2000 per run; 3.12+ only,
            where the tracer can record C calls)
Configurations and their floors (what the host alone costs for the same
events, so that configuration - floor is the tracer's own part):
  plain        no tool
  observer     a no-op pyhooks observer (Python-call events)
  tracer       the tracer, default options (Perfetto to /dev/null)  > observer
  observer_c   the no-op observer with C-call events too (3.12+)
  tracer_c     the tracer with c_calls = true (3.12+)             > observer_c
  tracer_json  the tracer writing Chrome JSON (only with --config)  > observer

Usage:
  python3 bench/tracer/callgrind.py --build build [--python EXE ...]
  python3 bench/tracer/callgrind.py --build build --python EXE --check
      fails if the tracer's own part ("over its floor") of any recorded
      configuration grew by more than 10% over bench/tracer/
      callgrind_figures.json for that exact CPython; exits 77 (skipped)
      without valgrind or without recorded figures for the version.
  --record rewrites the figures of each interpreter measured.
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
UNITS_PER_RUN = {"fib": 8361, "builtins": 2000}
FLOORS = {"tracer": "observer", "tracer_json": "observer",
          "tracer_c": "observer_c"}
OPT_IN_CONFIGS = ["tracer_json"]


def configs_for(version, workload):
    if workload == "builtins":
        return ["plain", "observer_c", "tracer_c"] if version >= (3, 12) \
            else []
    configs = ["plain", "observer", "tracer", "tracer_json"]
    if version >= (3, 12):
        configs += ["observer_c", "tracer_c"]
    return configs


def workload_per_unit(python, config, workload, env, pool):
    child = os.path.join(HERE, "callgrind_child.py")
    return per_unit(python, child, [config, workload],
                    UNITS_PER_RUN[workload], env, pool)


def measure(python, version, env, jobs, only=None):
    """{workload: {config: instructions per unit}}"""
    env = dict(env, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    wanted = {}
    for workload in UNITS_PER_RUN:
        configs = [c for c in configs_for(version, workload)
                   if (c in only if only else c not in OPT_IN_CONFIGS)]
        if only:  # a floor is measured with what stands on it
            configs += [FLOORS[c] for c in configs
                        if c in FLOORS and FLOORS[c] not in configs]
        if configs:
            wanted[workload] = configs
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        with concurrent.futures.ThreadPoolExecutor(16) as outer:
            futures = {(w, c): outer.submit(workload_per_unit, python, c, w, env,
                                       pool)
                       for w, configs in wanted.items() for c in configs}
            return {w: {c: round(futures[(w, c)].result(), 1)
                        for c in configs}
                    for w, configs in wanted.items()}


def own_parts(figures):
    """{workload: {config: instructions over its floor}}"""
    return {w: {c: round(v - row[FLOORS[c]], 1) for c, v in row.items()
                if c in FLOORS and FLOORS[c] in row}
            for w, row in figures.items()}


def print_table(name, figures):
    units = {"fib": "per fib call", "builtins": "per C call"}
    for workload, row in figures.items():
        print("\n### %s: instructions %s (callgrind)\n" %
              (name, units[workload]))
        print("| configuration | Ir | over plain | over its floor |")
        print("|---|---:|---:|---:|")
        plain = row.get("plain")
        for config, value in row.items():
            floor = FLOORS.get(config)
            over_floor = ("+%.0f (%s)" % (value - row[floor], floor)
                          if floor in row else "")
            over_plain = ("+%.0f" % (value - plain)
                          if plain is not None and config != "plain" else "")
            print("| %s | %.0f | %s | %s |" % (config, value, over_plain,
                                               over_floor))


def check(key, figures, recorded):
    """The tracer's own part (over its floor) per workload and config."""
    def flat(parts):
        return {"%s/%s own" % (w, c): v for w, row in parts.items()
                for c, v in row.items()}
    return compare(key, flat(own_parts(figures)), flat(own_parts(recorded)),
                   "the tracer's own cost", "bench/tracer/callgrind.py")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--config", action="append",
                        help="only these configurations (and their floors)")
    parser.add_argument("--tracer-dir",
                        help="the directory of the pyhooks_tracer.so to "
                        "measure (default: BUILD/plugins), e.g. a copy "
                        "of a build before a change")
    parser.add_argument("--figures", default=FIGURES,
                        help="recorded figures (default: %(default)s)")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    env = dict(os.environ)
    # The build tree itself (no install needed): the pyhooks package with
    # its host modules, the tracer, the test plugins.
    env["PYTHONPATH"] = os.path.join(build, "python")
    env["PYHOOKS_BENCH_PLUGIN_DIR"] = os.path.join(build, "tests", "plugins")
    env["PYHOOKS_BENCH_TRACER_DIR"] = args.tracer_dir or os.path.join(
        build, "plugins")
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
        if args.check and key not in recorded:
            print("no recorded figures for CPython %s in %s: skipped" %
                  (key, args.figures))
            return SKIPPED
        only = args.config
        if args.check and not only:
            only = sorted({c for row in recorded[key].values() for c in row
                           if c in FLOORS})
        figures = measure(python, version, env, args.jobs, only)
        print_table("CPython %s (%s)" % (key, python), figures)
        if args.check:
            status |= check(key, figures, recorded[key])
        if args.record:
            recorded[key] = {w: {c: v for c, v in row.items()
                                 if c not in OPT_IN_CONFIGS}
                             for w, row in figures.items()}
    if args.record:
        save_figures(args.figures, recorded)
    return status


if __name__ == "__main__":
    sys.exit(main())
