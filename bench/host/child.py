"""bench/host/child.py CONFIG WORKLOAD REPEAT - one measurement.

Sets up one configuration in this fresh interpreter, runs the workload once
to warm up, then REPEAT times, and prints the median process-CPU seconds of
one run (and the checksum). WORKLOAD is a function of workloads.py, or
`program:NAME` (bench/programs/NAME.py, its printed checksum), or
`pyperformance:NAME` (the pyperformance program bm_NAME under
$PYHOOKS_BENCH_PYPERFORMANCE, run through pyperf_stub; REPEAT is its loop
count, and only the benchmark function is timed). Run by bench/host/run.py,
never alone."""

import contextlib
import io
import os
import runpy
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.environ["PYHOOKS_BENCH_EXT_DIR"])
import floors  # noqa: E402
from workloads import WORKLOADS  # noqa: E402

config, workload, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
plugins = os.environ["PYHOOKS_BENCH_PLUGIN_DIR"]
noop = os.path.join(plugins, "pyhooks_test_noop.so")
noop_disable = os.path.join(plugins, "pyhooks_test_noop_disable.so")


def setup(config):
    if config == "plain" or floors.install(config):
        return
    import pyhooks
    if config == "none":
        return
    if config.startswith("observer"):
        if config.endswith("_hook"):
            pyhooks.set_event_source("eval_frame")
        count = int(config[len("observer")])
        library = noop_disable if "_disable" in config else noop
        for name in ("noop_a", "noop_b", "noop_c")[:count]:
            pyhooks.load(library, name=name)
    elif config == "evaluator":
        pyhooks.load(os.path.join(plugins,
                                  "pyhooks_test_passthrough_evaluator.so"))
    else:
        raise SystemExit("unknown configuration " + config)


def run_program(path):
    def run():
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name="__main__")
        return out.getvalue().strip()
    return run


def pyperformance(name):
    root = os.environ.get("PYHOOKS_BENCH_PYPERFORMANCE")
    script = os.path.join(root or "", "pyperformance", "data-files",
                          "benchmarks", "bm_" + name, "run_benchmark.py")
    if not root or not os.path.exists(script):
        raise SystemExit("pyperformance program %s not found at %s" %
                         (name, script))
    sys.path.insert(0, os.path.join(HERE, "pyperf_stub"))
    sys.path.insert(0, os.path.dirname(script))
    import pyperf
    os.environ["PYHOOKS_BENCH_LOOPS"] = str(repeat)
    sys.argv = [script]
    with contextlib.redirect_stdout(io.StringIO()):
        runpy.run_path(script, run_name="__main__")
    print(pyperf.measured_seconds / repeat, "-")


setup(config)
if workload.startswith("pyperformance:"):
    pyperformance(workload.split(":", 1)[1])
    sys.exit(0)
if workload.startswith("program:"):
    run = run_program(os.path.join(HERE, "..", "programs",
                                   workload.split(":", 1)[1] + ".py"))
else:
    run = WORKLOADS[workload]
checksum = run()
times = []
for _ in range(repeat):
    start = time.process_time()
    run()
    times.append(time.process_time() - start)
print(statistics.median(times), checksum)
