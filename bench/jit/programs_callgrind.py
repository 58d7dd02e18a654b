"""bench/jit/programs_callgrind.py - what the jit costs on the realistic
programs (bench/programs, code it mostly declines), counted in instructions
over the whole process under valgrind's callgrind: deterministic, so the
machine's load does not matter (bench/jit/run.py times the same runs).

Configurations, each one fresh process (children and exec'd interpreters
followed, their totals summed):
  plain  python PROGRAM
  floor  pyhooks run with an empty configuration (no plugin: the
         launcher's own start-up, the figure the jit is held against)
  jit    pyhooks run -p jit PROGRAM (the jit's defaults)

Usage: python3 bench/jit/programs_callgrind.py --stage build/stage
           [--python EXE]... [--program NAME]... [--jobs N] [--json OUT]
Prints one line per (interpreter, program): Ir of each configuration and
jit / floor.
"""

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE.parent / "programs"
PYTHONS = ["~/.pyenv/versions/3.11.7/bin/python3.11",
           "~/.pyenv/versions/3.12.1/bin/python3.12",
           "~/.pyenv/versions/3.13.0/bin/python3.13"]
CONFIGS = ["plain", "floor", "jit"]
COLLECTED = re.compile(r"^==\d+== Collected\s*:\s*(\d+)", re.M)


def command(config, stage, python, program, empty_config):
    if config == "plain":
        return [python, str(program)]
    pyhooks = str(Path(stage) / "bin" / "pyhooks")
    if config == "floor":
        return [pyhooks, "run", "--config", str(empty_config), "--python",
                python, str(program)]
    return [pyhooks, "run", "--python", python, "-p", "jit", str(program)]


def instructions(cmd, env):
    """(stdout, the Ir of every process of `cmd` summed)."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--trace-children=yes",
         "--callgrind-out-file=/dev/null", *cmd],
        capture_output=True, text=True, env=env)
    counts = [int(n) for n in COLLECTED.findall(done.stderr)]
    if done.returncode != 0 or not counts:
        raise SystemExit("callgrind run of %s failed:\n%s"
                         % (" ".join(cmd), done.stderr[-3000:]))
    return done.stdout, sum(counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stage", default="build/stage")
    parser.add_argument("--python", action="append")
    parser.add_argument("--program", action="append")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: nothing measured")
        return 1
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1")
    for name in ("PYHOOKS_RUN_SPEC", "PYHOOKS_CONFIG", "PYHOOKS_ENABLE",
                 "PYHOOKS_DISABLE", "PYHOOKS_VERBOSE"):
        env.pop(name, None)
    empty = Path(tempfile.gettempdir()) / "pyhooks-bench-jit-empty.toml"
    empty.write_text("# no plugin selected: pyhooks run's floor\n")
    pythons = [os.path.expanduser(p) for p in (args.python or PYTHONS)]
    programs = [PROGRAMS / (name if name.endswith(".py") else name + ".py")
                for name in (args.program or sorted(
                    p.stem for p in PROGRAMS.glob("*.py")))]
    jobs = [(python, program, config) for python in pythons
            for program in programs for config in CONFIGS]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {job: pool.submit(instructions, command(
            job[2], args.stage, job[0], job[1], empty), env) for job in jobs}
    results = {}
    for python in pythons:
        ratios = []
        for program in programs:
            runs = {c: futures[(python, program, c)].result()
                    for c in CONFIGS}
            if len({out for out, _ in runs.values()}) != 1:
                raise SystemExit("%s: output differs under pyhooks"
                                 % program.name)
            ir = {c: runs[c][1] for c in CONFIGS}
            ratio = ir["jit"] / ir["floor"]
            ratios.append(ratio)
            results.setdefault(python, {})[program.stem] = ir
            print("%s %-16s plain %11d floor %11d jit %11d  jit/floor x%.3f"
                  % (python, program.stem, ir["plain"], ir["floor"],
                     ir["jit"], ratio), flush=True)
        print("%s geomean jit/floor x%.3f" % (python, math.exp(
            sum(map(math.log, ratios)) / len(ratios))), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
