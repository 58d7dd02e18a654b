"""The tracer benchmark: every program in bench/programs (fib among them)
under plain python, cProfile and the pyhooks tracer in each output format
(and Perfetto with c_calls = true on 3.12+), per interpreter, plus a memory
probe (stream mode over 10x longer runs).

    python3 bench/tracer/run.py [--python EXE]... [--program NAME]...
        [--config NAME]... [--rounds N] [--stage DIR] [--json OUT]
        [--from-json IN]

Fresh process per run; in each round every program runs once per
configuration, in an order rotated per round; a figure is the median over
rounds of the CPU-time ratio to the plain run of the same round. Also: the
slices and bytes per event of each format, the tracer's CPU per event
((traced - plain) / events, medians), the time from the program's last line
to a complete file per million events. Stdlib only; prints markdown."""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROGRAMS = ROOT / "bench" / "programs"
PROBE = ROOT / "bench" / "profiler" / "calls_probe.py"
DRIVER = HERE / "driver.py"
CONFIGS = ["plain", "cprofile", "perfetto", "perfetto_c", "json", "jsongz"]
TRACERS = ["perfetto", "json", "jsongz"]
PYTHONS = ["~/.pyenv/versions/3.11.7/bin/python3.11",
           "~/.pyenv/versions/3.12.1/bin/python3.12",
           "~/.pyenv/versions/3.13.0/bin/python3.13"]
# VizTracer 1.1.1 on this machine kind (docs/performance.md, from
# shared/research/tracer-anchor-2026-12.md): geomean, fib, per interpreter.
ANCHOR = {"3.11": (3.14, 5.5), "3.12": (2.54, 5.4), "3.13": (2.53, 5.5)}


def run_once(python, config, program, env, args=()):
    with tempfile.TemporaryDirectory(prefix="pyhooks-tbench-") as outdir:
        done = subprocess.run([python, str(DRIVER), config, outdir,
                               str(program), *map(str, args)],
                              capture_output=True, text=True, env=env,
                              timeout=900)
        if done.returncode != 0:
            raise RuntimeError("%s %s %s failed:\n%s"
                               % (python, config, program, done.stderr))
        return json.loads(done.stdout.strip().splitlines()[-1])


def geomean(values):
    values = [v for v in values if v > 0]
    return math.exp(sum(map(math.log, values)) / len(values))


def configs_for(label, wanted):
    """The configurations run on CPython `label`: C calls need 3.12+."""
    minor = tuple(int(p) for p in label.split(".")[:2])
    return [c for c in CONFIGS if (c in wanted or c == "plain")
            and (c != "perfetto_c" or minor >= (3, 12))]


def bench(python, programs, rounds, env, log, configs=CONFIGS):
    rows = {}
    for program in programs:
        samples = {c: [] for c in configs}
        for r in range(rounds):
            order = configs[r % len(configs):] + configs[:r % len(configs)]
            results = {c: run_once(python, c, program, env) for c in order}
            outputs = {res["output"] for res in results.values()}
            if len(outputs) != 1:
                raise RuntimeError("%s: outputs differ %r" % (program.name,
                                                              outputs))
            plain = results["plain"]["cpu"]
            for c in configs:
                res = dict(results[c])
                res["ratio"] = res["cpu"] / plain
                res["ns_per_event"] = ((res["cpu"] - plain) * 1e9 /
                                       res["events"] if res["events"] else 0)
                samples[c].append(res)
        row = {}
        for c in configs:
            med = lambda key: statistics.median(s[key] for s in samples[c])
            row[c] = {k: med(k) for k in ("ratio", "cpu", "save", "bytes",
                                           "slices", "events",
                                           "ns_per_event", "maxrss_kb")}
        rows[program.stem] = row
        log("  %-16s %s" % (program.stem, " ".join(
            "%s x%.2f" % (c, row[c]["ratio"]) for c in configs[1:])))
    memory = {}
    for calls in (100_000, 1_000_000) if "perfetto" in configs else ():
        res = run_once(python, "perfetto", PROBE, env, args=[calls])
        memory[calls] = res
    return {"programs": rows, "memory": {str(k): v for k, v in
                                         memory.items()}}


LABELS = {"cprofile": "cProfile", "perfetto": "tracer .perfetto-trace",
          "perfetto_c": "tracer .perfetto-trace, C calls",
          "json": "tracer .json", "jsongz": "tracer .json.gz"}


def markdown(results, rounds):
    """One table per CPython; a configuration not run there shows "-"."""
    out = []
    for label, data in results.items():
        rows = data["programs"]
        present = [c for c in CONFIGS[1:]
                   if all(c in row for row in rows.values())]
        base = "perfetto" if "perfetto" in present else present[0]
        out.append("#### CPython %s - CPU time vs plain python (median of %d "
                   "rounds)\n" % (label, rounds))
        out.append("| program | plain ms | " + " | ".join(
            LABELS[c] for c in CONFIGS[1:]) + " | calls (slices) | bytes "
            "per call: perfetto | json | json.gz | tracer ns per call "
            "| M calls per CPU s | save s per M calls | C calls: slices "
            "| ns per slice |")
        out.append("|---|" + "---:|" * (len(CONFIGS) + 9))

        def cell(row, c, key="ratio", fmt="%.2f", per=1.0):
            return fmt % (row[c][key] / per) if c in row else "-"

        for name, row in rows.items():
            p = row[base]
            calls = max(p["slices"], 1)
            plain = row["plain"]["cpu"]
            c_row = row.get("perfetto_c")
            out.append("| %s | %.0f | %s | %d | %s | %s | %s | %.0f | %.1f "
                       "| %.3f | %s | %s |" % (
                           name, plain * 1e3,
                           " | ".join(cell(row, c) for c in CONFIGS[1:]),
                           p["slices"],
                           cell(row, "perfetto", "bytes", "%.1f", calls),
                           cell(row, "json", "bytes", "%.1f", calls),
                           cell(row, "jsongz", "bytes", "%.1f", calls),
                           (p["cpu"] - plain) * 1e9 / calls,
                           calls / p["cpu"] / 1e6, p["save"] / calls * 1e6,
                           "%d" % c_row["slices"] if c_row else "-",
                           "%.0f" % ((c_row["cpu"] - plain) * 1e9 /
                                     max(c_row["slices"], 1))
                           if c_row else "-"))
        gm = {c: geomean([row[c]["ratio"] for row in rows.values()])
              for c in present}
        out.append("| **geomean** | | " + " | ".join(
            "**%.2f**" % gm[c] if c in gm else "-" for c in CONFIGS[1:])
            + " |" + " |" * 9)
        anchor = ANCHOR.get(".".join(label.split(".")[:2]))
        if anchor:
            out.append("\nVizTracer 1.1.1 anchor (8 other programs, C calls "
                       "on): geomean x%.2f, fib x%.1f; target: at most half "
                       "its overhead, x%.2f geomean, fib at most x3.\n"
                       % (anchor[0], anchor[1], 1 + (anchor[0] - 1) / 2))
        mem = data["memory"]
        if mem:
            out.append("Memory, stream mode (calls_probe.py): %s\n" %
                       ", ".join("%s calls: %d slices, peak RSS %.1f MiB" % (
                           k, v["slices"], v["maxrss_kb"] / 1024)
                           for k, v in mem.items()))
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", dest="pythons")
    parser.add_argument("--program", action="append", dest="programs")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stage", default=str(ROOT / "build" / "stage"))
    parser.add_argument("--json")
    parser.add_argument("--from-json")
    parser.add_argument("--config", action="append", dest="configs",
                        help="run only these (repeat; plain always): "
                        + ", ".join(CONFIGS[1:]))
    args = parser.parse_args()
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        print(markdown(saved["results"], saved["rounds"]))
        return
    pythons = args.pythons or [p for p in map(os.path.expanduser, PYTHONS)
                               if os.access(p, os.X_OK)]
    programs = sorted(PROGRAMS.glob("*.py"))
    if args.programs:
        programs = [PROGRAMS / (n if n.endswith(".py") else n + ".py")
                    for n in args.programs]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(args.stage) / "lib" / "pyhooks" / "python")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    results = {}
    for python in pythons:
        label = subprocess.run([python, "-c", "import platform; "
                                "print(platform.python_version())"],
                               capture_output=True, text=True,
                               check=True).stdout.strip()
        print("CPython %s (%s)" % (label, python), file=sys.stderr)
        results[label] = bench(python, programs, args.rounds, env,
                               lambda m: print(m, file=sys.stderr),
                               configs_for(label, args.configs or CONFIGS))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rounds": args.rounds, "results": results}, f)
    print(markdown(results, args.rounds))


if __name__ == "__main__":
    main()
