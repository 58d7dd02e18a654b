#!/usr/bin/env python3
"""The native_names benchmark: every program in bench/programs (the
profiler benchmark's programs) under plain python, the bare eval-frame hook
(a pass-through PEP 523 function, no pyhooks), pyhooks with an evaluator that
declines every frame, native_names and, on 3.12+, CPython's own -X perf
trampoline, side by side.

Fresh process per run (driver.py); in each round every program runs once per
configuration, in an order rotated per round; a figure is the median over
rounds of the run's CPU-time ratio to the plain run of the same round.
Prints one markdown table per interpreter and a geomean summary with the
target (native_names at most the bare hook's ratio x 1.05; also against the
declining evaluator), then the best run of each configuration (and, for fib,
native_names' cost per call over the bare hook).

    python3 bench/native_names/run.py [--rounds 5] [--python EXE ...]
        [--program NAME ...] [--stage build/stage] [--hook LIB[#PLUGIN]]

Standard library only; the stage must be built (make build): the bare hook
is the build's test extension _pyhooks_test_foreign, the declining
evaluator its test plugin pyhooks_test_passthrough_evaluator.so.
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROGRAMS = ROOT / "bench" / "programs"
DRIVER = HERE / "driver.py"
FIB_CALLS = 2692537  # calls of fib(30), bench/programs/fib.py
PYTHONS = ["~/.pyenv/versions/3.11.7/bin/python3.11",
           "~/.pyenv/versions/3.12.1/bin/python3.12",
           "~/.pyenv/versions/3.13.0/bin/python3.13"]


def version_of(python):
    out = subprocess.run([python, "-c", "import sys; print(sys.version_info[:3])"],
                         capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in out.strip("()\n ").split(","))


def run_once(python, config, program, env):
    cmd = [python] + (["-X", "perf"] if config == "xperf" else []) + \
        [str(DRIVER), config, str(program)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=600)
    if done.returncode != 0:
        raise RuntimeError("%s %s %s failed:\n%s" % (python, config,
                                                     program.name, done.stderr))
    return json.loads(done.stdout.strip().splitlines()[-1])


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def bench(python, programs, rounds, env, log):
    configs = ["plain", "bare", "hook", "native_names"]
    if version_of(python) >= (3, 12):
        configs.append("xperf")
    times = {p.name: {c: [] for c in configs} for p in programs}
    for index in range(rounds):
        order = configs[index % len(configs):] + configs[:index % len(configs)]
        for program in programs:
            outputs = set()
            for config in order:
                result = run_once(python, config, program, env)
                times[program.name][config].append(result["cpu"])
                outputs.add(result["output"])
            if len(outputs) != 1:
                raise RuntimeError("%s printed different results: %r"
                                   % (program.name, outputs))
        log("  round %d/%d" % (index + 1, rounds))
    table = {}
    for name, by_config in times.items():
        row = {"plain_ms": 1000 * statistics.median(by_config["plain"]),
               "best_ms": {c: 1000 * min(by_config[c]) for c in configs}}
        for config in configs[1:]:
            row[config] = statistics.median(
                t / p for t, p in zip(by_config[config], by_config["plain"]))
        table[name] = row
    return configs, table


def best_of(label, configs, table, rounds):
    """The fastest run of each configuration: robust against a noisy
    machine, and (for fib.py, fib(30) = 2692537 calls) the cost per call."""
    lines = ["Best of %d runs, CPU ms (ratio to plain):" % rounds, "",
             "| program | " + " | ".join(configs) + " | native_names - bare hook |",
             "|---|" + "---:|" * (len(configs) + 1)]
    for name, row in table.items():
        best = row["best_ms"]
        extra = best["native_names"] - best["bare"]
        per_call = " (%.1f ns per call)" % (extra * 1e6 / FIB_CALLS) \
            if name == "fib.py" else ""
        lines.append("| %s | %s | %+.1f ms%s |" % (
            name, " | ".join("%.1f (%.2f)" % (best[c], best[c] / best["plain"])
                             for c in configs), extra, per_call))
    return "\n".join(lines) + "\n"


def markdown(label, configs, table, rounds):
    titles = {"bare": "bare hook", "hook": "declining evaluator",
              "native_names": "native_names", "xperf": "-X perf"}
    lines = ["### CPython %s - CPU time vs plain python (median of %d rounds)"
             % (label, rounds), "",
             "| program | plain ms | " + " | ".join(titles[c] for c in configs[1:])
             + " | native_names - bare hook |",
             "|---|---:|" + "---:|" * len(configs)]
    for name, row in table.items():
        lines.append("| %s | %.0f | %s | %+.2f |" % (
            name, row["plain_ms"],
            " | ".join("%.2f" % row[c] for c in configs[1:]),
            row["native_names"] - row["bare"]))
    means = {c: geomean([row[c] for row in table.values()]) for c in configs[1:]}
    lines.append("| **geomean** | | %s | %+.2f |" % (
        " | ".join("**%.2f**" % means[c] for c in configs[1:]),
        means["native_names"] - means["bare"]))
    lines.append("")
    for floor in ("bare", "hook"):
        verdict = "met" if means["native_names"] <= means[floor] * 1.05 \
            else "MISSED"
        lines.append("Target native_names <= %s x 1.05: %.2f vs %.2f, %s."
                     % (titles[floor], means["native_names"],
                        means[floor] * 1.05, verdict))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append")
    parser.add_argument("--program", action="append")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--stage", default=str(ROOT / "build" / "stage"))
    parser.add_argument("--hook")
    args = parser.parse_args()
    stage = Path(args.stage).resolve()
    hook = args.hook or str(stage.parent / "tests" / "plugins" /
                            "pyhooks_test_passthrough_evaluator.so")
    if not Path(hook.partition("#")[0]).exists():
        raise SystemExit("no declining-evaluator plugin %s: build the tests "
                         "(make build) or pass --hook" % hook)
    ext_dir = stage.parent / "tests" / "ext"
    env = dict(os.environ, PYTHONPATH=str(stage / "lib" / "pyhooks" / "python"),
               PYTHONDONTWRITEBYTECODE="1", PYHOOKS_BENCH_HOOK=hook,
               PYHOOKS_BENCH_EXT_DIR=str(ext_dir))
    for name in ("PYTHONPERFSUPPORT", "PYHOOKS_CONFIG", "PYHOOKS_ENABLE"):
        env.pop(name, None)
    pythons = [os.path.expanduser(p) for p in (args.python or PYTHONS)]
    pythons = [p for p in pythons if os.access(p, os.X_OK)]
    programs = sorted(PROGRAMS.glob("*.py"))
    if args.program:
        programs = [p for p in programs if p.stem in args.program or p.name in args.program]
    for python in pythons:
        label = ".".join(map(str, version_of(python)))
        print("benchmarking %s ..." % label, file=sys.stderr)
        configs, table = bench(python, programs, args.rounds, env,
                               lambda text: print(text, file=sys.stderr))
        print(markdown(label, configs, table, args.rounds))
        print(best_of(label, configs, table, args.rounds))
        sys.stdout.flush()


main()
