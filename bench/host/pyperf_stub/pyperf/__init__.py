"""bench/host/pyperf_stub/pyperf - just enough of pyperf's Runner for the
pyperformance programs to run unmodified inside one child process of
bench/host/run.py.

A program builds a Runner and hands it its benchmark function; this stub
runs it once to warm up, then PYHOOKS_BENCH_LOOPS times (or passes that loop
count to a time function), and adds the process CPU time of the measured
part to `measured_seconds`, which child.py reads after the program ends. No
worker processes, no calibration, no output of its own."""

import argparse
import asyncio
import os
import time

measured_seconds = 0.0
perf_counter = time.perf_counter


def _loops():
    return int(os.environ.get("PYHOOKS_BENCH_LOOPS", "1"))


def _add(seconds):
    global measured_seconds
    measured_seconds += seconds


class Runner:
    def __init__(self, *args, **kwargs):
        self.metadata = {}
        self.argparser = argparse.ArgumentParser()
        self.args = None

    def parse_args(self, args=None):
        self.args = self.argparser.parse_args([] if args is None else args)
        return self.args

    def _options(self):
        if self.args is None:
            self.parse_args()

    def bench_func(self, name, func, *args, inner_loops=None, metadata=None):
        self._options()
        func(*args)
        start = time.process_time()
        for _ in range(_loops()):
            func(*args)
        _add(time.process_time() - start)

    def bench_time_func(self, name, func, *args, inner_loops=None,
                        metadata=None):
        self._options()
        func(1, *args)
        start = time.process_time()
        func(_loops(), *args)
        _add(time.process_time() - start)

    def bench_async_func(self, name, func, *args, inner_loops=None,
                         metadata=None):
        self._options()
        asyncio.run(func(*args))
        start = time.process_time()
        for _ in range(_loops()):
            asyncio.run(func(*args))
        _add(time.process_time() - start)

    def bench_command(self, name, command):
        raise SystemExit("bench_command is not supported by the stub")
