"""The JIT benchmark: the example kernels (examples/*.py) under plain
python and `pyhooks run -p jit`, per interpreter, beside Numba's @njit on
Debian's python3.11 in the same run; plus bench/programs (code the JIT
mostly declines) to show what it costs there.

    python3 bench/jit/run.py [--python EXE]... [--numba-python EXE]
        [--no-numba] [--kernel NAME]... [--rounds N] [--stage DIR]
        [--json OUT] [--from-json IN] [--no-programs] [--programs-only]

Fresh process per measurement; in each round every configuration runs once,
in an order rotated per round; a figure is the median over rounds.
- steady state: CPU time of the second kernel(SIZE) call inside the process
  (bench/jit/driver.py), plain / configuration;
- first call: CPU time of the first call (compilation included), and the
  JIT's own compile time from its stats report when it gives one;
- whole process: child CPU time (user + sys, all threads and children) of
  `python examples/K.py` (default size) against `pyhooks run -p jit
  examples/K.py` and, for Numba, the driver making one call after
  `import numba` (the same source, njit-wrapped);
- bench/programs: whole-process CPU time under -p jit / plain.
Stdlib only; prints markdown."""

import argparse
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXAMPLES = ROOT / "examples"
PROGRAMS = ROOT / "bench" / "programs"
DRIVER = HERE / "driver.py"
PYTHONS = ["~/.pyenv/versions/3.11.7/bin/python3.11",
           "~/.pyenv/versions/3.12.1/bin/python3.12",
           "~/.pyenv/versions/3.13.0/bin/python3.13"]
NUMBA_PYTHON = "/usr/bin/python3.11"
# kernel: steady-state size (near shared/research/jit-anchor-2026-12.md's,
# so that the Numba figures can be set beside those)
KERNELS = {
    "fib": 30,
    "float_loop": 10_000_000,
    "nbody": 200_000,
    "primes": 100_000,
    "mandelbrot": 160,
    "collatz": 100_000,
    "leibniz": 10_000_000,
    "ackermann": 300,
    "spectral_norm": 100,
}
# Numba 0.56.4 on Debian's 3.11.2, steady state (the research note).
ANCHOR = {"fib": 22, "float_loop": 31, "nbody": 31, "primes": 18,
          "mandelbrot": 34, "collatz": 20, "leibniz": 46, "ackermann": 45,
          "spectral_norm": 77}
TIMEOUT = 900


def child_cpu(cmd, env, cwd=None):
    """(stdout, stderr, CPU seconds of the child and its descendants)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=TIMEOUT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(map(str, cmd)),
                                                  done.returncode,
                                                  done.stderr[-3000:]))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime -
                                                before.ru_stime)
    return done.stdout, done.stderr, cpu


def jit_prefix(stage, python, stats=True):
    cmd = [str(Path(stage) / "bin" / "pyhooks"), "run", "--python", python,
           "-p", "jit"]
    if stats:
        cmd += ["-o", "jit.stats=true"]
    return cmd


COMPILE_LINE = re.compile(
    r"^pyhooks jit: compile time (?P<total>[0-9.]+) ms total, "
    r"(?P<mean>[0-9.]+) ms mean, (?P<max>[0-9.]+) ms max", re.M)


def compile_ms(stderr):
    """The mean and the largest compile time per compiled unit (function x
    argument types) in ms from the JIT's stats report (docs/jit.md), or None
    when it compiled nothing."""
    match = COMPILE_LINE.search(stderr)
    if not match:
        return None
    return (float(match.group("mean")), float(match.group("max")))


def measure_kernel(python, config, kernel, size, stage, env):
    if config == "numba":
        cmd = [python, str(DRIVER), "numba", kernel, str(size)]
    elif config == "jit":
        cmd = jit_prefix(stage, python) + [str(DRIVER), "plain", kernel,
                                            str(size)]
    else:
        cmd = [python, str(DRIVER), "plain", kernel, str(size)]
    out, err, _ = child_cpu(cmd, env)
    result = json.loads(out.strip().splitlines()[-1])
    result["compile_ms"] = compile_ms(err) if config == "jit" else None
    return result


def measure_process(python, config, kernel, stage, env):
    script = EXAMPLES / (kernel + ".py")
    if config == "numba":
        # The default size of the script, one call, as the script would.
        size = default_size(kernel)
        cmd = [python, str(DRIVER), "numba", kernel, str(size), "1"]
    elif config == "jit":
        cmd = jit_prefix(stage, python, stats=False) + [str(script)]
    else:
        cmd = [python, str(script)]
    start = time.perf_counter()
    out, _, cpu = child_cpu(cmd, env)
    return {"cpu": cpu, "wall": time.perf_counter() - start, "output": out}


def default_size(kernel):
    """The script's DEFAULT_SIZE (what `python examples/K.py` runs)."""
    text = (EXAMPLES / (kernel + ".py")).read_text()
    match = re.search(r"^DEFAULT_SIZE = ([0-9_]+)", text, re.M)
    return int(match.group(1).replace("_", ""))


def rotated(items, r):
    return items[r % len(items):] + items[:r % len(items)]


def bench_kernels(python, configs, kernels, rounds, stage, env, log):
    rows = {}
    for kernel in kernels:
        size = KERNELS[kernel]
        samples = {c: [] for c in configs}
        procs = {c: [] for c in configs}
        for r in range(rounds):
            for config in rotated(configs, r):
                samples[config].append(measure_kernel(python, config, kernel,
                                                      size, stage, env))
            for config in rotated(configs, r + 1):
                procs[config].append(measure_process(python, config, kernel,
                                                     stage, env))
        results = {s["result"] for c in configs for s in samples[c]}
        if len(results) != 1:
            raise RuntimeError("%s: results differ %r" % (kernel, results))
        if "numba" not in configs:
            outputs = {p["output"] for c in configs for p in procs[c]}
            if len(outputs) != 1:
                raise RuntimeError("%s: outputs differ %r" % (kernel, outputs))
        plain = samples["plain"]
        row = {"size": size}
        for c in configs:
            row[c] = {
                "second_ms": statistics.median(s["second_ms"]
                                               for s in samples[c]),
                "first_ms": statistics.median(s["first_ms"]
                                              for s in samples[c]),
                "speedup": statistics.median(
                    p["second_ms"] / max(s["second_ms"], 1e-3)
                    for p, s in zip(plain, samples[c])),
                "process_cpu": statistics.median(p["cpu"] for p in procs[c]),
                "process_speedup": statistics.median(
                    p["cpu"] / max(q["cpu"], 1e-6)
                    for p, q in zip(procs["plain"], procs[c])),
                "import_ms": statistics.median(s["import_ms"]
                                               for s in samples[c]),
            }
            compiles = [s["compile_ms"] for s in samples[c]
                        if s.get("compile_ms") is not None]
            row[c]["compile_ms"] = (
                [statistics.median(m for m, _ in compiles),
                 statistics.median(x for _, x in compiles)]
                if compiles else None)
        rows[kernel] = row
        log("  %-14s %s" % (kernel, " ".join(
            "%s x%.1f (process x%.2f)" % (c, row[c]["speedup"],
                                          row[c]["process_speedup"])
            for c in configs if c != "plain")))
    return rows


EMPTY_CONFIG = Path(tempfile.gettempdir()) / "pyhooks-bench-jit-empty.toml"


def bench_programs(python, rounds, stage, env, log):
    EMPTY_CONFIG.write_text("# no plugin selected: pyhooks run's floor\n")
    rows = {}
    for program in sorted(PROGRAMS.glob("*.py")):
        ratios, floor_ratios, plain_cpu = [], [], []
        for r in range(rounds):
            runs = {}
            # floor: `pyhooks run` with an empty configuration, i.e. no
            # plugin (without -p or a configuration it runs the profiler)
            for config in rotated(["plain", "floor", "jit"], r):
                cmd = ([python, str(program)] if config == "plain" else
                       jit_prefix(stage, python, stats=False)[:2] +
                       ["--config", str(EMPTY_CONFIG), "--python", python,
                        str(program)] if config == "floor" else
                       jit_prefix(stage, python, stats=False) + [str(program)])
                out, _, cpu = child_cpu(cmd, env)
                runs[config] = (out, cpu)
            if not runs["plain"][0] == runs["floor"][0] == runs["jit"][0]:
                raise RuntimeError("%s: output differs under pyhooks"
                                   % program.name)
            ratios.append(runs["jit"][1] / runs["plain"][1])
            floor_ratios.append(runs["floor"][1] / runs["plain"][1])
            plain_cpu.append(runs["plain"][1])
        rows[program.stem] = {"plain_ms": statistics.median(plain_cpu) * 1e3,
                              "ratio": statistics.median(ratios),
                              "floor_ratio": statistics.median(floor_ratios)}
        log("  %-16s jit/plain x%.3f (no plugin x%.3f)"
            % (program.stem, rows[program.stem]["ratio"],
               rows[program.stem]["floor_ratio"]))
    return rows


def geomean(values):
    values = [v for v in values if v and v > 0]
    if not values:
        return float("nan")
    return math.exp(sum(map(math.log, values)) / len(values))


def fmt(value, pattern):
    return "-" if value is None else pattern % value


def markdown(results, rounds):
    out = []
    for label, data in results.items():
        rows = data["kernels"]
        configs = data["configs"]
        numba = "numba" in configs
        jit = "jit" in configs
        out.append("#### CPython %s - kernels (CPU time, median of %d rounds)"
                   "\n" % (label, rounds))
        head = ["kernel", "size", "plain ms"]
        if jit:
            head += ["jit ms", "jit speedup", "jit first call ms",
                     "jit compile ms per unit (mean / max)"]
        if numba:
            head += ["numba ms", "numba speedup", "numba first call ms"]
        head += ["process: plain s"]
        if jit:
            head += ["jit s", "jit x"]
        if numba:
            head += ["numba s", "numba x"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|---" + "|---:" * (len(head) - 1) + "|")
        for kernel, row in rows.items():
            cells = [kernel, str(row["size"]),
                     "%.1f" % row["plain"]["second_ms"]]
            if jit:
                j = row["jit"]
                cells += ["%.2f" % j["second_ms"], "%.1f" % j["speedup"],
                          "%.1f" % j["first_ms"],
                          fmt(j["compile_ms"] and tuple(j["compile_ms"]),
                              "%.1f / %.1f")]
            if numba:
                n = row["numba"]
                cells += ["%.2f" % n["second_ms"], "%.1f" % n["speedup"],
                          "%.0f" % (n["first_ms"] + n["import_ms"])]
            cells += ["%.2f" % row["plain"]["process_cpu"]]
            if jit:
                cells += ["%.2f" % row["jit"]["process_cpu"],
                          "%.2f" % row["jit"]["process_speedup"]]
            if numba:
                cells += ["%.2f" % row["numba"]["process_cpu"],
                          "%.2f" % row["numba"]["process_speedup"]]
            out.append("| " + " | ".join(cells) + " |")
        cells = ["**geomean**", "", ""]
        if jit:
            cells += ["", "**%.1f**" % geomean(
                [r["jit"]["speedup"] for r in rows.values()]), "", ""]
        if numba:
            cells += ["", "**%.1f**" % geomean(
                [r["numba"]["speedup"] for r in rows.values()]), ""]
        cells += [""]
        if jit:
            cells += ["", "**%.2f**" % geomean(
                [r["jit"]["process_speedup"] for r in rows.values()])]
        if numba:
            cells += ["", "**%.2f**" % geomean(
                [r["numba"]["process_speedup"] for r in rows.values()])]
        out.append("| " + " | ".join(cells) + " |")
        out.append("")
        programs = data.get("programs")
        if programs:
            floors = [row.get("floor_ratio") for row in programs.values()]
            out.append("bench/programs under -p jit, whole-process CPU time "
                       "vs plain (beside it `pyhooks run` with no plugin): " +
                       ", ".join(
                           "%s x%.3f (x%s)" % (name, row["ratio"],
                                               fmt(row.get("floor_ratio"),
                                                   "%.3f"))
                           for name, row in programs.items()) +
                       "; geomean x%.3f (no plugin x%.3f).\n" % (geomean(
                           [row["ratio"] for row in programs.values()]),
                           geomean([f for f in floors if f])))
    out.append("Numba 0.56.4 anchor (shared/research/jit-anchor-2026-12.md, "
               "Debian 3.11.2): " + ", ".join(
                   "%s x%d" % item for item in ANCHOR.items()) +
               "; geomean x31-34.")
    return "\n".join(out)


def python_label(python):
    return subprocess.run(
        [python, "-c", "import platform, sys; print(platform.python_version()"
         " + ('-debian' if sys.executable.startswith('/usr/bin/') else ''))"],
        capture_output=True, text=True, check=True).stdout.strip()


def has_numba(python):
    if not os.access(python, os.X_OK):
        return False
    return subprocess.run([python, "-c", "import numba"],
                          capture_output=True).returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", dest="pythons")
    parser.add_argument("--numba-python", default=NUMBA_PYTHON)
    parser.add_argument("--no-numba", action="store_true")
    parser.add_argument("--kernel", action="append", dest="kernels")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stage", default=str(ROOT / "build" / "stage"))
    parser.add_argument("--no-programs", action="store_true")
    parser.add_argument("--programs-only", action="store_true",
                        help="only bench/programs (code the JIT declines)")
    parser.add_argument("--json")
    parser.add_argument("--from-json")
    args = parser.parse_args()
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        print(markdown(saved["results"], saved["rounds"]))
        return
    pythons = args.pythons or [p for p in map(os.path.expanduser, PYTHONS)
                               if os.access(p, os.X_OK)]
    kernels = args.kernels or list(KERNELS)
    for kernel in kernels:
        if kernel not in KERNELS:
            parser.error("unknown kernel %r (one of %s)"
                         % (kernel, ", ".join(KERNELS)))
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    plugins = Path(args.stage) / "lib" / "pyhooks" / "plugins"
    if any(plugins.glob("pyhooks_jit*.so")):
        plan = [(p, ["plain", "jit"]) for p in pythons]
    else:
        print("bench/jit: no JIT plugin in %s; only plain python and Numba"
              % plugins, file=sys.stderr)
        plan = []
    numba_python = os.path.expanduser(args.numba_python)
    if args.no_numba:
        pass
    elif has_numba(numba_python):
        for index, (python, configs) in enumerate(plan):
            if os.path.realpath(python) == os.path.realpath(numba_python):
                plan[index] = (python, configs + ["numba"])
                break
        else:
            plan.append((numba_python, ["plain", "numba"]))
    else:
        print("bench/jit: %s has no numba (tools/install-deps.sh --bench "
              "installs python3-numba); Numba left out" % numba_python,
              file=sys.stderr)
    results = {}
    log = lambda m: print(m, file=sys.stderr)
    for python, configs in plan:
        label = python_label(python)
        log("CPython %s (%s): %s" % (label, python, ", ".join(configs)))
        data = {"configs": configs,
                "kernels": {} if args.programs_only else bench_kernels(
                    python, configs, kernels, args.rounds, args.stage, env,
                    log)}
        if "jit" in configs and not args.no_programs:
            data["programs"] = bench_programs(python, args.rounds, args.stage,
                                              env, log)
        results[label] = data
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rounds": args.rounds, "results": results}, f)
    print(markdown(results, args.rounds))


if __name__ == "__main__":
    main()
