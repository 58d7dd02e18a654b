#!/usr/bin/env python3
"""The profiler benchmark: every program in bench/programs under plain
python, cProfile, the pyhooks profiler and the profiler with everything but
one small module excluded (and, given a no-op observer plugin, the host's
own cost), side by side, per interpreter.

Each run is a fresh process (bench/profiler/driver.py) timing the program's
process CPU time. In every round each program runs once in every
configuration, in an order that rotates from round to round; a
configuration's figure is the median over rounds of its ratio to the plain
run of the same round. Prints markdown tables (per interpreter, then a
summary with geometric means and the targets) and a memory table.

    python3 bench/profiler/run.py [--rounds 5] [--python EXE ...]
                                  [--stage build/stage] [--json out.json]

Standard library only; the pyhooks stage must be built (make build).
"""

import argparse
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROGRAMS = ROOT / "bench" / "programs"
DRIVER = HERE / "driver.py"
# "pyhooks" is the profiler as configured by default (builtins = false);
# "builtins" lists C functions as cProfile does (builtins = true, 3.12+ only:
# 3.11 has no C-call events for observers, and the profiler refuses it).
CONFIGS = ["plain", "cprofile", "pyhooks", "builtins", "hooked", "excluded",
           "host"]
CANDIDATES = ["~/.pyenv/versions/3.11.7/bin/python3.11", "/usr/bin/python3.11",
              "~/.pyenv/versions/3.12.1/bin/python3.12",
              "~/.pyenv/versions/3.13.0/bin/python3.13"]


def runs(python):
    try:
        return subprocess.run([python, "-c", "import sys; print(sys.executable)"],
                              capture_output=True, text=True,
                              timeout=60).returncode == 0
    except OSError:
        return False


def default_pythons():
    """The supported CPythons of this machine kind, else python3.1x on PATH
    (each kept only if it runs, and once)."""
    found = []
    for candidate in CANDIDATES:
        path = os.path.expanduser(candidate)
        if os.access(path, os.X_OK) and runs(path):
            found.append(path)
    if not found:
        for name in ("python3.11", "python3.12", "python3.13"):
            path = shutil.which(name)
            if path and runs(path):
                found.append(path)
    return found


def describe(python):
    out = subprocess.run(
        [python, "-c", "import platform, sys; print(platform.python_version());"
         "print(sys.version.replace(chr(10), ' '))"],
        capture_output=True, text=True, check=True).stdout.splitlines()
    label = out[0]
    if python.startswith("/usr/bin/"):
        label += " (Debian)"
    return label


def minor_of(python):
    return int(subprocess.run(
        [python, "-c", "import sys; print(sys.version_info[1])"],
        capture_output=True, text=True, check=True).stdout)


def environment(stage):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(stage) / "lib" / "pyhooks" / "python")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("PYHOOKS_BENCH_SUMMARY", None)
    return env


def run_once(python, config, program, env, noop_plugin, extra_env=None,
             args=()):
    with tempfile.TemporaryDirectory(prefix="pyhooks-bench-") as outdir:
        cmd = [python, str(DRIVER), config, outdir, str(program), *args]
        run_env = dict(env)
        if noop_plugin:
            run_env["PYHOOKS_BENCH_NOOP"] = noop_plugin
        run_env.update(extra_env or {})
        done = subprocess.run(cmd, capture_output=True, text=True, env=run_env,
                              timeout=600)
        if done.returncode != 0:
            raise RuntimeError("%s %s %s failed:\n%s" % (python, config,
                                                         program.name, done.stderr))
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["stderr"] = done.stderr
        return result


def geomean(values):
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def bench_interpreter(python, programs, configs, rounds, env, noop_plugin, log):
    times = {p.name: {c: [] for c in configs} for p in programs}
    writes = {p.name: {c: [] for c in configs} for p in programs}
    outputs = {}
    for round_index in range(rounds):
        order = configs[round_index % len(configs):] + configs[:round_index % len(configs)]
        for program in programs:
            for config in order:
                result = run_once(python, config, program, env, noop_plugin)
                times[program.name][config].append(result["cpu"])
                writes[program.name][config].append(result["write"])
                previous = outputs.setdefault(program.name, result["output"])
                if result["output"] != previous:
                    raise RuntimeError("%s printed %r under %s, %r before"
                                       % (program.name, result["output"], config,
                                          previous))
        log("  round %d/%d done" % (round_index + 1, rounds))
    table = {}
    for program in programs:
        row = {"plain_ms": 1000 * statistics.median(times[program.name]["plain"])}
        for config in configs:
            if config == "plain":
                continue
            ratios = [t / p for t, p in zip(times[program.name][config],
                                            times[program.name]["plain"])]
            row[config] = statistics.median(ratios)
            row[config + "_write_ms"] = 1000 * statistics.median(writes[program.name][config])
        table[program.name] = row
    return table


def memory_probe(python, env, sizes, log):
    rows = []
    probe = HERE / "calls_probe.py"
    for calls in sizes:
        row = {"calls": calls}
        for config in ("plain", "cprofile", "pyhooks"):
            extra = {"PYHOOKS_BENCH_SUMMARY": "1"} if config == "pyhooks" else {}
            result = run_once(python, config, probe, env, None, extra,
                              [str(calls)])
            row[config + "_rss_kb"] = result["maxrss_kb"]
            if config == "pyhooks":
                match = re.search(r"tables: (\d+) functions, (\d+) call paths, (\d+) KiB",
                                  result["stderr"])
                row["tables_kib"] = int(match.group(3)) if match else None
                row["call_paths"] = int(match.group(2)) if match else None
        rows.append(row)
        log("  memory: %d calls done" % calls)
    return rows


def fmt(value, digits=2):
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else ("%.*f" % (digits, value))


def overhead_share(ours, theirs):
    return (ours - 1) / (theirs - 1) if theirs and theirs > 1 else float("nan")


def share(ratios, config):
    """`config`'s overhead as a share of cProfile's, formatted; `ratios` maps
    configurations to ratios against plain python."""
    return fmt(overhead_share(ratios.get(config, float("nan")),
                              ratios.get("cprofile", float("nan"))))


def ratio_cells(ratios, configs):
    """The ratio columns of one table row (a program, or the geomean)."""
    cells = [fmt(ratios.get("cprofile")), fmt(ratios.get("pyhooks")),
             share(ratios, "pyhooks")]
    if "builtins" in configs:
        cells += [fmt(ratios.get("builtins")), share(ratios, "builtins")]
    if "hooked" in configs:
        cells += [fmt(ratios.get("hooked")), share(ratios, "hooked")]
    if "excluded" in configs:
        cells.append(fmt(ratios.get("excluded")))
    if "host" in configs:
        cells.append(fmt(ratios.get("host")))
    return cells


def markdown(results, configs, rounds):
    lines = []
    summary = []
    for label, data in results.items():
        table = data["programs"]
        lines.append("### CPython %s - CPU time vs plain python (median of %d paired rounds)"
                     % (label, rounds))
        lines.append("")
        header = ["program", "plain ms", "cProfile", "pyhooks", "overhead vs cProfile's"]
        if "builtins" in configs:
            header += ["pyhooks, builtins listed", "its share"]
        if "hooked" in configs:
            header += ["pyhooks, hook source", "its share"]
        if "excluded" in configs:
            header.append("excluded")
        if "host" in configs:
            header.append("host only (no-op observer)")
        header.append("pyhooks write ms")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        for program, row in table.items():
            cells = ([program.replace(".py", ""), fmt(row["plain_ms"], 0)]
                     + ratio_cells(row, configs)
                     + [fmt(row.get("pyhooks_write_ms"), 1)])
            lines.append("| " + " | ".join(cells) + " |")
        means = {c: geomean([row.get(c) for row in table.values()])
                 for c in configs if c != "plain"}
        if "builtins" not in data.get("configs", configs):
            means.pop("builtins", None)  # not run on this CPython (3.11)
        cells = ["**geomean**", ""] + ratio_cells(means, configs) + [""]
        lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        fib = table.get("fib.py", {})
        summary.append((label, means, fib))
        memory = data.get("memory")
        if memory:
            lines.append("Memory (bench/profiler/calls_probe.py: N calls over 52 functions):")
            lines.append("")
            lines.append("| calls | plain peak RSS MiB | cProfile | pyhooks | pyhooks tables KiB | call paths |")
            lines.append("|---|---|---|---|---|---|")
            for row in memory:
                lines.append("| %d | %.1f | %.1f | %.1f | %s | %s |" % (
                    row["calls"], row["plain_rss_kb"] / 1024, row["cprofile_rss_kb"] / 1024,
                    row["pyhooks_rss_kb"] / 1024, row.get("tables_kib"), row.get("call_paths")))
            lines.append("")
    lines.append("### Summary: overhead (ratio - 1) of the pyhooks profiler as a share of cProfile's")
    lines.append("")
    lines.append("| CPython | cProfile geomean | pyhooks geomean | share (target <= 0.50) "
                 "| fib: cProfile | fib: pyhooks | fib share (target <= 0.50) "
                 "| builtins listed: share, fib share "
                 "| hook source: share, fib share "
                 "| excluded geomean (target <= 1.05 on 3.12+) |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for label, means, fib in summary:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s, %s | %s, %s | %s |" % (
            label, fmt(means.get("cprofile")), fmt(means.get("pyhooks")),
            share(means, "pyhooks"), fmt(fib.get("cprofile")), fmt(fib.get("pyhooks")),
            share(fib, "pyhooks"), share(means, "builtins"), share(fib, "builtins"),
            share(means, "hooked"), share(fib, "hooked"),
            fmt(means.get("excluded"))))
    lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", dest="pythons",
                        help="interpreter to benchmark (repeat; default: the "
                             "supported CPythons found)")
    parser.add_argument("--stage", default=os.environ.get("PYHOOKS_STAGE",
                                                          str(ROOT / "build" / "stage")))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--program", action="append", dest="programs",
                        help="program name in bench/programs (repeat; default: all)")
    parser.add_argument("--noop-plugin",
                        help="LIBRARY[#PLUGIN]: a no-op observer, for the 'host' "
                             "column (default: <stage>/../tests/plugins/"
                             "pyhooks_test_noop.so#noop_a if it exists)")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--json", help="also write the raw results here "
                                       "(after each interpreter)")
    parser.add_argument("--from-json", help="only print the tables of a saved --json")
    args = parser.parse_args()

    pythons = args.pythons or default_pythons()
    programs = sorted(PROGRAMS.glob("*.py"))
    if args.programs:
        programs = [PROGRAMS / (name if name.endswith(".py") else name + ".py")
                    for name in args.programs]
    noop = args.noop_plugin
    if noop is None:
        guess = Path(args.stage).parent / "tests" / "plugins" / "pyhooks_test_noop.so"
        noop = str(guess) + "#noop_a" if guess.exists() else None
    configs = [c for c in CONFIGS if c != "host" or noop]
    env = environment(args.stage)

    def log(message):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    started = time.time()
    if args.from_json:
        with open(args.from_json) as saved:
            data = json.load(saved)
        results, configs, rounds = data["results"], data["configs"], data["rounds"]
        header = data["header"]
    else:
        results = {}
        rounds = args.rounds
        header = ("Command: `python3 bench/profiler/run.py %s`  \n"
                  % " ".join(sys.argv[1:]))
        for python in pythons:
            label = describe(python)
            log("%s (%s)" % (label, python))
            here = [c for c in configs
                    if c != "builtins" or minor_of(python) >= 12]
            results[label] = {"python": python, "configs": here,
                              "programs": bench_interpreter(python, programs, here,
                                                            rounds, env, noop, log)}
            if not args.no_memory:
                results[label]["memory"] = memory_probe(
                    python, env, [10**4, 10**5, 10**6], log)
            if args.json:  # after every interpreter: a late failure loses nothing
                with open(args.json, "w") as out:
                    json.dump({"results": results, "configs": configs,
                               "rounds": rounds, "header": header}, out, indent=1)
        header += "Machine: %s, %d CPUs; %s; %.0f s.\n" % (
            platform.platform(), os.cpu_count(), time.strftime("%Y-%m-%d"),
            time.time() - started)
        if args.json:
            with open(args.json, "w") as out:
                json.dump({"results": results, "configs": configs,
                           "rounds": rounds, "header": header}, out, indent=1)
    print(header)
    print(markdown(results, configs, rounds))


if __name__ == "__main__":
    main()
