"""bench/host/child.py CONFIG WORKLOAD REPEAT - one measurement.

Sets up one configuration in this fresh interpreter, runs the workload once
to warm up, then REPEAT times, and prints the median process-CPU seconds of
one run (and the checksum). Run by bench/host/run.py, never alone."""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from workloads import WORKLOADS  # noqa: E402

config, workload, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
plugins = os.environ["PYHOOKS_BENCH_PLUGIN_DIR"]
noop = os.path.join(plugins, "pyhooks_test_noop.so")
noop_disable = os.path.join(plugins, "pyhooks_test_noop_disable.so")

if config != "plain":
    import pyhooks
if config == "bare_hook":
    sys.path.insert(0, os.environ["PYHOOKS_BENCH_EXT_DIR"])
    import _pyhooks_test_foreign
    _pyhooks_test_foreign.install()  # a hook that only calls the default
elif config.startswith("observer"):
    if config.endswith("_hook"):
        pyhooks.set_event_source("eval_frame")
    count = int(config[len("observer")])
    library = noop_disable if "_disable" in config else noop
    for name in ("noop_a", "noop_b", "noop_c")[:count]:
        pyhooks.load(library, name=name)
elif config == "evaluator":
    pyhooks.load(os.path.join(plugins, "pyhooks_test_passthrough_evaluator.so"))
elif config != "none" and config != "plain":
    raise SystemExit("unknown configuration " + config)

run = WORKLOADS[workload]
checksum = run()
times = []
for _ in range(repeat):
    start = time.process_time()
    run()
    times.append(time.process_time() - start)
print(statistics.median(times), checksum)
