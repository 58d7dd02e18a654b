"""bench/callgrind_count.py - the one way the callgrind benchmarks count
instructions: run a child script of the benchmark under valgrind's callgrind
(no output file) and return the "Collected" total it reports. Each
benchmark runs its child twice with different repeat counts and subtracts,
so start-up cancels out and what is left is per call."""

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
