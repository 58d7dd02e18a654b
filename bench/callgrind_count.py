"""bench/callgrind_count.py - the one way the callgrind benchmarks count
instructions: run a child script of the benchmark under valgrind's callgrind
(no output file) and return the "Collected" total it reports. Each
benchmark runs its child twice with different repeat counts and subtracts,
so start-up cancels out and what is left is per call (per_unit); the rest
of this file is what the three benchmarks share besides."""

import json
import os
import re
import subprocess


def collected(python, child, args, env):
    """Instructions of `python -S child *args` under callgrind; stops the
    benchmark with callgrind's output when the run fails."""
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         python, "-S", child, *map(str, args)],
        capture_output=True, text=True, env=env)
    match = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if result.returncode != 0 or match is None:
        raise SystemExit("callgrind run of %s %s failed:\n%s" %
                         (python, " ".join(map(str, args)),
                          result.stderr[-3000:]))
    return int(match.group(1))


# ---- what the three callgrind benchmarks (bench/host, bench/profiler,
# bench/tracer) share: the differential count, the key of the recorded
# figures, and the regression check against them.

LOW, HIGH = 1, 3  # repeat counts of the two runs subtracted
TOLERANCE = 1.10  # --check fails above recorded * TOLERANCE
SKIPPED = 77  # CTest's SKIP_RETURN_CODE for the *_cost entries


def per_unit(python, child, args, units_per_run, env, pool):
    """Instructions per unit of work: `child *args LOW` and `child *args
    HIGH` counted in `pool`, subtracted, divided by the units between."""
    low = pool.submit(collected, python, child, [*args, LOW], env)
    high = pool.submit(collected, python, child, [*args, HIGH], env)
    return (high.result() - low.result()) / ((HIGH - LOW) * units_per_run)


def interpreter_version(python):
    out = subprocess.run(
        [python, "-c", "import sys;print(*sys.version_info[:3])"],
        capture_output=True, text=True, check=True).stdout
    return tuple(int(x) for x in out.split())


def figures_key(python, version):
    """The recorded figures' key: the exact version, and the build kind where
    it is not a release build from pyenv (a debug build or a distribution's
    interpreter counts differently)."""
    out = subprocess.run(
        [python, "-c", "import sys, sysconfig; print(int(bool("
         "sysconfig.get_config_var('Py_DEBUG'))), sys.base_prefix)"],
        capture_output=True, text=True, check=True).stdout.split()
    key = "%d.%d.%d" % version
    if out[0] == "1":
        key += "-dbg"
    elif out[1] == "/usr":
        key += "-system"
    return key


def load_figures(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def save_figures(path, recorded):
    with open(path, "w") as f:
        json.dump(recorded, f, indent=2, sort_keys=True)
        f.write("\n")


def compare(key, measured, recorded, what, script):
    """The regression check: every row of `measured` that has a recorded
    figure must stay within TOLERANCE of it. Prints one line per row; 1 if
    any grew (naming `what` and how to re-record with `script`), else 0."""
    failed = []
    for row, value in measured.items():
        if row not in recorded:
            continue
        limit = recorded[row] * TOLERANCE
        verdict = "ok" if value <= limit else "GREW"
        print("%s %s: %.1f Ir per unit (recorded %.1f, limit %.1f): %s" %
              (key, row, value, recorded[row], limit, verdict))
        if value > limit:
            failed.append(row)
    if failed:
        print("FAIL: %s grew by more than 10%% in %s; if this is intended, "
              "re-record with %s --record and say why in the commit" %
              (what, ", ".join(failed), script))
        return 1
    return 0
