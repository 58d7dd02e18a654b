"""A deep call stack: descend() recurses 150 levels, then spins 20 ms; deep
enough that a flamegraph does not fit on a screen."""
import time


def spin(seconds):
    t0 = time.perf_counter()
    while time.perf_counter() < t0 + seconds:
        pass


def descend(n):
    if n == 0:
        spin(0.02)
    else:
        descend(n - 1)


descend(150)
