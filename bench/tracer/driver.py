"""Runs one benchmark program once under one configuration and prints one
JSON line: process CPU time of the program (the tracer's writer thread
included), the time from the program's last line to a complete trace file,
the file's size, the slices written, peak RSS and the program's output (its
checksum, which must not change between configurations).

    python driver.py CONFIG OUTDIR PROGRAM [ARGS...]

CONFIG: plain | cprofile | perfetto | perfetto_c | json | jsongz | ring
  perfetto  the tracer, default options (stream mode, .perfetto-trace)
  perfetto_c  the same with c_calls = true (C calls as slices; 3.12+)
  json      the tracer writing .json;  jsongz: .json.gz
  ring      the tracer in ring mode with a buffer that never wraps
"""

import io
import json
import os
import re
import resource
import runpy
import sys
import time

SUFFIX = {"perfetto": ".perfetto-trace", "perfetto_c": ".perfetto-trace",
          "json": ".json", "jsongz": ".json.gz", "ring": ".perfetto-trace"}


def main():
    config, outdir, program = sys.argv[1:4]
    sys.argv = sys.argv[3:]
    sys.path[0] = os.path.dirname(os.path.abspath(program))
    path = os.path.join(outdir, "trace" + SUFFIX.get(config, ""))
    profiler = None
    stderr_copy = None
    if config == "cprofile":
        import cProfile
        profiler = cProfile.Profile()
    elif config in SUFFIX:
        import pyhooks
        options = {"output": path, "summary": True}
        if config == "ring":
            options.update(mode="ring", buffer_size=50_000_000)
        if config == "perfetto_c":
            options.update(c_calls=True)
        # The summary line (slice count) goes to a file, not the terminal.
        stderr_copy = os.dup(2)
        log = os.open(os.path.join(outdir, "summary.txt"),
                      os.O_WRONLY | os.O_CREAT, 0o644)
        os.dup2(log, 2)
        pyhooks.load("tracer", options=options)
    elif config != "plain":
        raise SystemExit("unknown configuration %r" % config)

    captured = io.StringIO()
    real_stdout = sys.stdout
    sys.stdout = captured
    if profiler is not None:
        profiler.enable()
    cpu0 = time.process_time()
    runpy.run_path(program, run_name="__main__")
    cpu1 = time.process_time()
    if profiler is not None:
        profiler.disable()
    sys.stdout = real_stdout

    save0 = time.perf_counter()
    slices = events = 0
    if config == "cprofile":
        profiler.dump_stats(os.path.join(outdir, "profile.prof"))
    elif config in SUFFIX:
        import pyhooks
        pyhooks.shutdown()  # closes open slices, flushes, closes the file
        os.dup2(stderr_copy, 2)
        with open(os.path.join(outdir, "summary.txt")) as f:
            found = re.search(r"(\d+) slices \((\d+) events\)", f.read())
        slices, events = int(found.group(1)), int(found.group(2))
    save = time.perf_counter() - save0
    print(json.dumps({
        "cpu": cpu1 - cpu0, "save": save,
        "bytes": os.path.getsize(path) if os.path.exists(path) else 0,
        "slices": slices, "events": events,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "output": captured.getvalue().strip(),
    }))


main()
