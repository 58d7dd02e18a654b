"""Busy-waits of known length: spin(s) measures its own duration with
perf_counter and writes them to $TRACER_TRUTH as a JSON list."""
import json
import os
import time


def spin(seconds):
    t0 = time.perf_counter()
    while time.perf_counter() < t0 + seconds:
        pass
    return time.perf_counter() - t0


truth = [spin(s) for s in (0.001, 0.001, 0.001, 0.02, 0.05)]
with open(os.environ["TRACER_TRUTH"], "w") as out:
    json.dump(truth, out)
