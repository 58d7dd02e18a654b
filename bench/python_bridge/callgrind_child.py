"""bench/python_bridge/callgrind_child.py CONFIG CALLS - one measurement.

Sets up one configuration (see callgrind.py), warms fib up once, then runs
fib(18) CALLS times. Run under valgrind by callgrind.py, which subtracts two
runs that differ only in CALLS; never run alone."""

import os
import sys

config, repeats = sys.argv[1], int(sys.argv[2])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


if config != "plain":
    import pyhooks
    if config == "c_noop":
        pyhooks.load(os.path.join(os.environ["PYHOOKS_BENCH_PLUGIN_DIR"],
                                  "pyhooks_test_noop.so"), name="noop_a")
    elif config == "python_noop":
        pyhooks.load_python("noop_observers:EveryEvent")
    elif config == "python_start":
        pyhooks.load_python("noop_observers:StartOnly")
    elif config == "python_count":
        pyhooks.load_python("noop_observers:CountStarts")
    else:
        raise SystemExit("unknown configuration " + config)

fib(18)  # warm up: specialization, code states
for _ in range(repeats):
    fib(18)
