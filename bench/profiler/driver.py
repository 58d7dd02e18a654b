"""Runs one benchmark program once under one configuration and prints one
JSON line: process CPU time and wall time of the program, the time the
profiler took to write its files afterwards, peak RSS and the program's
output (its checksum).

    python driver.py CONFIG OUTDIR PROGRAM [ARGS...]

CONFIG: plain | cprofile | pyhooks | excluded | host
  plain     the program alone
  cprofile  cProfile.Profile().enable() around it (stats dumped afterwards)
  pyhooks   the pyhooks profiler, all three outputs, no summary
  excluded  the pyhooks profiler with include = ["small_module"]: everything
            but one small module is filtered out
  host      a no-op pyhooks observer ($PYHOOKS_BENCH_NOOP, "LIBRARY[#PLUGIN]"):
            the host's own cost
$PYHOOKS_BENCH_SUMMARY sets the profiler's summary option (default 0).
"""

import io
import json
import os
import resource
import runpy
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    config, outdir, program = sys.argv[1:4]
    noop_plugin = os.environ.get("PYHOOKS_BENCH_NOOP", "")
    sys.path.insert(0, HERE)
    import small_module

    sys.argv = sys.argv[3:]
    sys.path[0] = os.path.dirname(os.path.abspath(program))
    base = os.path.join(outdir, "profile")
    profiler = None
    if config == "cprofile":
        import cProfile
        profiler = cProfile.Profile()
    elif config in ("pyhooks", "hooked", "excluded", "host", "builtins"):
        import pyhooks
        if config == "hooked":
            # Observers on the eval-frame hook instead of sys.monitoring
            # (3.12+; on 3.11 the hook is the only source anyway).
            pyhooks.set_event_source("eval_frame")
        if config == "host":
            library, _, name = noop_plugin.partition("#")
            pyhooks.load(library, name=name or None)
        else:
            options = {"output": base + ".prof", "collapsed": base + ".collapsed",
                       "svg": base + ".svg",
                       "speedscope": base + ".speedscope.json",
                       "summary": int(os.environ.get("PYHOOKS_BENCH_SUMMARY", "0"))}
            if config == "excluded":
                options["include"] = ["small_module"]
            if config == "builtins":
                options["builtins"] = True  # C functions listed, as cProfile
            pyhooks.load("profiler", options=options)
    elif config != "plain":
        raise SystemExit("unknown configuration %r" % config)

    captured = io.StringIO()
    real_stdout = sys.stdout
    sys.stdout = captured
    if profiler is not None:
        profiler.enable()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    small_module.work(200)
    runpy.run_path(program, run_name="__main__")
    small_module.work(200)
    cpu1, wall1 = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.disable()
    sys.stdout = real_stdout

    write0 = time.perf_counter()
    if config == "cprofile":
        profiler.dump_stats(base + ".prof")
    elif config in ("pyhooks", "excluded", "builtins"):
        import pyhooks
        pyhooks.shutdown()  # writes the profiler's files now
    write = time.perf_counter() - write0
    print(json.dumps({
        "cpu": cpu1 - cpu0, "wall": wall1 - wall0, "write": write,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "output": captured.getvalue().strip(),
    }))


main()
