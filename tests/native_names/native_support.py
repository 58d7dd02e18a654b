"""Helpers for the native_names tests: run a program under `pyhooks run -p
native_names` (the staged CLI) or plain, and read the perf map it left."""

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON", sys.executable)
STAGE = os.environ.get("PYHOOKS_STAGE", "")
PYHOOKS = os.path.join(STAGE, "bin", "pyhooks")
TIMEOUT = 120
# Programs run in a scratch directory, so the outputs of plugins that write
# files there by default (the profiler's, the tracer's) never land in the
# source tree.
WORKDIR = tempfile.mkdtemp(prefix="pyhooks-native-names-")
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)

MAP_LINE = re.compile(r"^([0-9a-f]+) ([0-9a-f]+) (\S.*)$")


def environment(**changes):
    env = dict(os.environ)
    for name in ("PYHOOKS_RUN_SPEC", "PYHOOKS_CONFIG", "PYHOOKS_ENABLE",
                 "PYHOOKS_DISABLE", "PYHOOKS_EVENT_SOURCE", "PYHOOKS_VERBOSE",
                 "PYTHONPERFSUPPORT", "PYTHON_PERF_JIT_SUPPORT"):
        env.pop(name, None)
    env.update(changes)
    return env


def run(args, env=None, cwd=WORKDIR):
    return subprocess.run(args, cwd=cwd, env=env or environment(),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)


def program(name):
    return os.path.join(PROGRAMS, name)


def plain(script, *args, python_options=(), env=None):
    return run([PYTHON, *python_options, program(script), *map(str, args)],
               env=env)


def under_plugins(script, *args, options=("-p", "native_names"), env=None):
    return run([PYHOOKS, "run", "--python", PYTHON, *options, program(script),
                *map(str, args)], env=env)


def map_path(pid):
    return "/tmp/perf-%d.map" % pid


def read_map(pid):
    """[(start, size, name)] in file order; the file is removed."""
    path = map_path(pid)
    entries = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            match = MAP_LINE.match(line.rstrip("\n"))
            if match is None:
                raise AssertionError("%s:%d: not `address size name`: %r"
                                     % (path, number, line))
            entries.append((int(match.group(1), 16), int(match.group(2), 16),
                            match.group(3)))
    os.unlink(path)
    return entries


def remove_map(pid):
    try:
        os.unlink(map_path(pid))
    except FileNotFoundError:
        pass


def overlaps(entries):
    """Pairs of entries whose address ranges overlap."""
    ordered = sorted(entries)
    return [(a, b) for a, b in zip(ordered, ordered[1:])
            if a[0] + a[1] > b[0]]


def pid_line(stdout, word="pid"):
    for line in stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == word:
            return int(parts[1])
    raise AssertionError("no %r line in %r" % (word, stdout))
