"""Own code, a helper module, recursion and short/long calls, for the
filter options."""
import json
import os
import time

import filters_helper


def rec(n):
    return 0 if n == 0 else 1 + rec(n - 1)


def spin(seconds):
    t0 = time.perf_counter()
    while time.perf_counter() < t0 + seconds:
        pass


rec(5)
filters_helper.helper()
json.dumps({"a": 1})
for s in (0.0005, 0.0005, 0.02):
    spin(s)
