"""Calls into json (the stdlib) from this module: a target for include and
exclude. Prints pyhooks.counters() as JSON when PRINT_COUNTERS is set."""
import json
import os
import time

CLOCK = time.perf_counter
TRUTH = {"encode_calls": 0}


def encode(value):
    TRUTH["encode_calls"] += 1
    return json.dumps(value, sort_keys=True)


def decode(text):
    return json.loads(text)


def main():
    value = {"numbers": list(range(50)), "name": "x" * 20}
    for _ in range(300):
        assert decode(encode(value)) == value


main()
if os.environ.get("PROFILER_TRUTH"):
    with open(os.environ["PROFILER_TRUTH"], "w") as out:
        json.dump(TRUTH, out)
if os.environ.get("PRINT_COUNTERS"):
    import pyhooks
    print(json.dumps(pyhooks.counters()))
