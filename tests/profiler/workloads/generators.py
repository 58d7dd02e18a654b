"""Generators: produce() yields 10 items, busy 1 ms before each; consume()
busy 0.5 ms per item; three generators consumed. A call is one activation
of produce(), however many times it is resumed."""
import json
import os
import time

CLOCK = time.perf_counter
TRUTH = {"produce": 0.0, "consume": 0.0, "produce_resumed": 0}


def produce(count):
    for i in range(count):
        t0 = CLOCK()
        t = t0
        while t < t0 + 0.001:
            t = CLOCK()
        TRUTH["produce"] += t - t0
        TRUTH["produce_resumed"] += 1
        yield i


def consume(items):
    total = 0
    for item in items:
        t0 = CLOCK()
        t = t0
        while t < t0 + 0.0005:
            t = CLOCK()
        TRUTH["consume"] += t - t0
        total += item
    return total


for _ in range(3):
    consume(produce(10))
if os.environ.get("PROFILER_TRUTH"):
    with open(os.environ["PROFILER_TRUTH"], "w") as out:
        json.dump(TRUTH, out)
