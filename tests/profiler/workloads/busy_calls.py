"""A function that busy-waits 2 ms, called 100 times from main()."""
import json
import os
import sys
import time

CLOCK = time.thread_time if os.environ.get("PROFILER_TRUTH_CLOCK") == "cpu" else time.perf_counter
TRUTH = {"busy": 0.0, "main": 0.0}


def busy(ms):
    t0 = CLOCK()
    deadline = t0 + ms / 1000.0
    t = t0
    while t < deadline:
        t = CLOCK()
    TRUTH["busy"] += t - t0


def main(calls):
    t0 = CLOCK()
    for _ in range(calls):
        busy(2)
    TRUTH["main"] += CLOCK() - t0


main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
if os.environ.get("PROFILER_TRUTH"):
    with open(os.environ["PROFILER_TRUTH"], "w") as out:
        json.dump(TRUTH, out)
