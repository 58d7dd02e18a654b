"""bench/profiler/callgrind_child.py CONFIG WORKLOAD REPEATS - one callgrind
measurement of bench/profiler/callgrind.py; never run alone.

Sets up one configuration, runs the workload once to warm up
(specialization, the host's code states, the profiler's tables), then
REPEATS more times. callgrind.py subtracts two runs that differ only in
REPEATS, so start-up, set-up and the profiler's output at exit cancel out.

Workloads (one unit = what the per-unit figure counts):
  fib    fib(18): 8361 Python calls, no C call
  ccall  4000 calls of a builtin (len) from one Python function: one unit is
         one C call (and one loop iteration, which plain python pays too)
Configurations: see callgrind.py."""

import os
import sys
import tempfile

config, workload, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
C_CALLS_PER_RUN = 4000


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def ccall(n, data):
    total = 0
    for _ in range(n):
        total += len(data)
    return total


def install():
    if config == "plain":
        return
    if config == "cprofile":
        import cProfile
        global profile
        profile = cProfile.Profile()  # builtins listed (cProfile's default)
        profile.enable()
        return
    import pyhooks
    plugins = os.environ["PYHOOKS_BENCH_PLUGIN_DIR"]
    if config == "host":
        pyhooks.load(os.path.join(plugins, "pyhooks_test_noop.so"),
                     name="noop_a")
    elif config == "host_c":
        pyhooks.load(os.path.join(plugins, "pyhooks_test_noop_c_calls.so"),
                     name="noop_a")
    elif config in ("profiler", "profiler_builtins"):
        # No files (every output ""), no summary: only the per-event work
        # and the tables differ between the two runs.
        pyhooks.load("profiler", options={
            "output": "", "collapsed": "", "svg": "", "speedscope": "",
            "summary": 0, "builtins": config == "profiler_builtins"})
    else:
        raise SystemExit("unknown configuration " + config)


os.chdir(tempfile.gettempdir())  # a profiler default never lands in the tree
install()
data = [1, 2, 3]
run = (lambda: fib(18)) if workload == "fib" else (
    lambda: ccall(C_CALLS_PER_RUN, data))
run()  # warm up
for _ in range(repeats):
    run()
