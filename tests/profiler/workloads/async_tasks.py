"""asyncio tasks: 5 worker() tasks each busy 2 ms, sleep 1 ms (suspended:
not worker's time), busy 2 ms, then await step() (busy 1 ms)."""
import asyncio
import json
import os
import time

CLOCK = time.perf_counter
TRUTH = {"worker": 0.0, "step": 0.0}


def spin_for(seconds):
    t0 = CLOCK()
    t = t0
    while t < t0 + seconds:
        t = CLOCK()
    return t - t0


async def step():
    t0 = CLOCK()
    t = t0
    while t < t0 + 0.001:
        t = CLOCK()
    TRUTH["step"] += t - t0


async def worker(index):
    t0 = CLOCK()
    t = t0
    while t < t0 + 0.002:
        t = CLOCK()
    TRUTH["worker"] += t - t0
    await asyncio.sleep(0.001)
    t0 = CLOCK()
    t = t0
    while t < t0 + 0.002:
        t = CLOCK()
    TRUTH["worker"] += t - t0
    await step()
    return index


async def main():
    results = await asyncio.gather(*(worker(i) for i in range(5)))
    assert results == list(range(5))


asyncio.run(main())
if os.environ.get("PROFILER_TRUTH"):
    with open(os.environ["PROFILER_TRUTH"], "w") as out:
        json.dump(TRUTH, out)
