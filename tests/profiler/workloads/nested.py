"""Nested calls with known own times: outer (1 ms) calls middle twice,
middle (0.5 ms) calls inner (1 ms) three times; outer runs 10 times."""
import json
import os
import time

CLOCK = time.perf_counter
TRUTH = {"outer": 0.0, "middle": 0.0, "inner": 0.0, "outer_cum": 0.0}


def spin(seconds):
    # Inline in each function below would be clearer but longer; spin() is
    # its own function, so the checks below count it as a child.
    t0 = CLOCK()
    t = t0
    while t < t0 + seconds:
        t = CLOCK()
    return t - t0


def inner():
    TRUTH["inner"] += spin(0.001)


def middle():
    TRUTH["middle"] += spin(0.0005)
    for _ in range(3):
        inner()


def outer():
    t0 = CLOCK()
    TRUTH["outer"] += spin(0.001)
    middle()
    middle()
    TRUTH["outer_cum"] += CLOCK() - t0


for _ in range(10):
    outer()
if os.environ.get("PROFILER_TRUTH"):
    with open(os.environ["PROFILER_TRUTH"], "w") as out:
        json.dump(TRUTH, out)
