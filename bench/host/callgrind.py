"""bench/host/callgrind.py - exact instructions per Python call, per
configuration, under valgrind's callgrind; and the CI regression check.

Instruction counts do not depend on the machine's noise, so they show what
the host's own dispatch costs beside the CPython mechanism it sits on. For
each configuration two fresh processes run fib(18) (8361 calls) LOW and HIGH
times after a warm-up (callgrind_child.py); the difference of their
instruction totals divided by the difference in calls is the cost of one
call, with start-up and set-up cancelled out.

Configurations (floors first):
  plain            no tool at all
  monitoring_c6    sys.monitoring, the 6 events pyhooks subscribes for an
                   observer, no-op C callbacks (3.12+: an observer's floor)
  bare_hook        a pass-through PEP 523 hook (the floor on the hook)
  observer1..3     one to three no-op pyhooks observers (default source:
                   sys.monitoring on 3.12+, the hook on 3.11)
  observer1..3_hook  the same forced onto the hook (3.12+)
  evaluator        one pyhooks evaluator that declines every frame
  native_names     the native_names plugin, an evaluator that wraps every
                   call through eval_next (only with --config native_names;
                   measured against bare_hook)
  observer1_data[_hook]  one no-op observer that declares code_data_size,
                   so the host fills frame->code_data for it (ABI 1.2;
                   only with --config; beside observer1[_hook] it is what
                   the pointer costs)
  monitoring_c9    monitoring_c6 plus CALL, C_RETURN and C_RAISE, no-op C
                   callbacks (3.12+, only with --config: the floor of an
                   observer of C calls)
  observer1_c      one no-op observer of frames and C calls (3.12+, only
                   with --config): CALL fires for each fib call and is
                   dropped, as fib is not a C function

Usage:
  python3 bench/host/callgrind.py --build build [--python EXE ...] [--jobs 2]
  python3 bench/host/callgrind.py --build build --python EXE --check
      compares with bench/host/callgrind_figures.json (the figures recorded
      for that exact CPython version) and fails if any pyhooks
      configuration's count per call grew by more than 10%. Exits 77
      (skipped) when valgrind or recorded figures for the version are
      missing.
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
CALLS_PER_RUN = 8361  # calls of fib(18)
# Measured only when named with --config (not recorded, not checked).
OPT_IN_CONFIGS = ["native_names", "observer1_data", "observer1_data_hook",
                  "monitoring_c9", "observer1_c"]


def configs_for(version):
    if version >= (3, 12):
        return ["plain", "monitoring_c6", "bare_hook", "observer1",
                "observer2", "observer3", "observer1_hook", "observer2_hook",
                "observer3_hook", "evaluator"]
    return ["plain", "bare_hook", "observer1", "observer2", "observer3",
            "evaluator"]


def floor_of(config, version):
    if config in ("plain", "monitoring_c6", "monitoring_c9", "bare_hook"):
        return None
    if config == "observer1_c":
        return "monitoring_c9"
    if config.startswith("observer") and not config.endswith("_hook") and \
            version >= (3, 12):
        return "monitoring_c6"
    return "bare_hook"


def per_call(python, config, env, pool):
    child = os.path.join(HERE, "callgrind_child.py")
    return per_unit(python, child, [config], CALLS_PER_RUN, env, pool)


def measure(python, version, env, jobs, only=None):
    env = dict(env, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    configs = [c for c in configs_for(version) + OPT_IN_CONFIGS
               if (c in only if only else c not in OPT_IN_CONFIGS)]
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        # Each per_call submits its two runs to a second pool so that jobs
        # bounds the valgrind processes, not the configurations.
        with concurrent.futures.ThreadPoolExecutor(len(configs)) as outer:
            futures = {c: outer.submit(per_call, python, c, env, pool)
                       for c in configs}
            return {c: round(futures[c].result(), 1) for c in configs}


def print_table(name, version, figures):
    print("\n### %s: instructions per fib call (callgrind)\n" % name)
    print("| configuration | Ir per call | over plain | over its floor |")
    print("|---|---:|---:|---:|")
    plain = figures.get("plain")
    for config, value in figures.items():
        floor = floor_of(config, version)
        over_floor = ("+%.0f (%s)" % (value - figures[floor], floor)
                      if floor in figures else "")
        over_plain = ("+%.0f" % (value - plain)
                      if plain is not None and config != "plain" else "")
        print("| %s | %.0f | %s | %s |" % (config, value, over_plain,
                                           over_floor))


def check(key, figures, recorded):
    # The floors are CPython's own, not ours.
    ours = {c: v for c, v in figures.items() if floor_of(c, (3, 12))}
    return compare(key, ours, recorded, "the host's dispatch",
                   "bench/host/callgrind.py")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--python", action="append")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--config", action="append",
                        help="only these configurations")
    parser.add_argument("--figures", default=FIGURES,
                        help="recorded figures (default: %(default)s)")
    args = parser.parse_args()
    build = os.path.abspath(args.build)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.join(build, "stage", "lib", "pyhooks",
                                     "python")
    env["PYHOOKS_BENCH_PLUGIN_DIR"] = os.path.join(build, "tests", "plugins")
    env["PYHOOKS_BENCH_EXT_DIR"] = os.path.join(build, "tests", "ext")
    env["PYHOOKS_BENCH_NATIVE_NAMES"] = os.path.join(
        build, "plugins", "pyhooks_native_names.so")
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
            # The floors are CPython's own and cannot regress here; the
            # two-observer rows lie between one and three.
            only = [c for c, v in recorded[key].items()
                    if floor_of(c, version) and not c.startswith(
                        ("observer2",))]
        figures = measure(python, version, env, args.jobs, only)
        print_table("CPython %s (%s)" % (key, python), version, figures)
        if args.check:
            status |= check(key, figures, recorded[key])
        if args.record:
            recorded[key] = {c: v for c, v in figures.items()
                             if c not in OPT_IN_CONFIGS}
    if args.record:
        save_figures(args.figures, recorded)
    return status


if __name__ == "__main__":
    sys.exit(main())
