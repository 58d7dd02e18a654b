"""bench/host/callgrind_child.py CONFIG CALLS - one callgrind measurement.

Sets up one configuration (the names of bench/host/callgrind.py), warms fib
up once, then runs fib(18) CALLS times. Run under valgrind by callgrind.py,
which subtracts two runs that differ only in CALLS; never run alone."""

import os
import sys

config, repeats = sys.argv[1], int(sys.argv[2])
plugins = os.environ["PYHOOKS_BENCH_PLUGIN_DIR"]
sys.path.insert(0, os.environ["PYHOOKS_BENCH_EXT_DIR"])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import floors  # noqa: E402


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


if config == "plain" or floors.install(config):
    pass
else:
    import pyhooks
    if config.endswith("_hook"):
        pyhooks.set_event_source("eval_frame")
        config = config[:-len("_hook")]
    if config == "observer1_data":
        # A no-op observer with per-code bytes: the host hands it
        # frame->code_data (ABI 1.2) on every event.
        pyhooks.load(os.path.join(plugins, "pyhooks_test_noop_data.so"),
                     name="noop_a")
    elif config == "observer1_c":
        # A no-op observer of frames and C calls: CALL fires for each fib
        # call too, and is dropped (fib is not a C function).
        pyhooks.load(os.path.join(plugins, "pyhooks_test_noop_c_calls.so"),
                     name="noop_a")
    elif config.startswith("observer"):
        noop = os.path.join(plugins, "pyhooks_test_noop.so")
        for name in ("noop_a", "noop_b", "noop_c")[:int(config[-1])]:
            pyhooks.load(noop, name=name)
    elif config == "native_names":
        # A wrapping evaluator (issue 16): HANDLED through eval_next on
        # every call; not a default configuration (callgrind.py --config).
        pyhooks.load(os.environ["PYHOOKS_BENCH_NATIVE_NAMES"])
    elif config == "evaluator":
        pyhooks.load(os.path.join(plugins,
                                  "pyhooks_test_passthrough_evaluator.so"))
    else:
        raise SystemExit("unknown configuration " + sys.argv[1])

fib(18)  # warm up: specialization, code states
for _ in range(repeats):
    fib(18)
