"""An exception escaping three frames: level1 -> level2 -> level3 (each busy
1 ms first); level3 raises, main() catches; 10 times."""
import json
import os
import time

CLOCK = time.perf_counter
TRUTH = {"level1": 0.0, "level2": 0.0, "level3": 0.0, "level1_cum": 0.0}


def wait(seconds):
    t0 = CLOCK()
    t = t0
    while t < t0 + seconds:
        t = CLOCK()
    return t - t0


def level3():
    TRUTH["level3"] += wait(0.001)
    raise ValueError("escapes three frames")


def level2():
    TRUTH["level2"] += wait(0.001)
    level3()


def level1():
    TRUTH["level1"] += wait(0.001)
    level2()


def main():
    caught = 0
    for _ in range(10):
        t0 = CLOCK()
        try:
            level1()
        except ValueError:
            caught += 1
        TRUTH["level1_cum"] += CLOCK() - t0
    assert caught == 10


main()
if os.environ.get("PROFILER_TRUTH"):
    with open(os.environ["PROFILER_TRUTH"], "w") as out:
        json.dump(TRUTH, out)
