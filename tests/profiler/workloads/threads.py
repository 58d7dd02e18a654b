"""Threads: the main thread and three workers each call busy() (2 ms) 20
times. With the CPU clock busy() spins on the thread's CPU clock, so the
threads contend for the GIL; with the wall clock it sleeps (releasing the
GIL), so that the span it measures around the sleep is its whole wall time
- a thread spinning under contention also waits for the GIL at points no
span inside the function can see."""
import json
import os
import threading
import time

CPU = os.environ.get("PROFILER_TRUTH_CLOCK") == "cpu"
TRUTH = {"busy": 0.0}
LOCK = threading.Lock()


def busy():
    if CPU:
        t0 = time.thread_time()
        t = t0
        while t < t0 + 0.002:
            t = time.thread_time()
    else:
        t0 = time.perf_counter()
        time.sleep(0.002)
        t = time.perf_counter()
    with LOCK:
        TRUTH["busy"] += t - t0


def work():
    for _ in range(20):
        busy()


threads = [threading.Thread(target=work) for _ in range(3)]
for thread in threads:
    thread.start()
work()
for thread in threads:
    thread.join()
if os.environ.get("PROFILER_TRUTH"):
    with open(os.environ["PROFILER_TRUTH"], "w") as out:
        json.dump(TRUTH, out)
