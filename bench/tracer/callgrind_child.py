"""bench/tracer/callgrind_child.py CONFIG WORKLOAD REPEATS - one callgrind
measurement of bench/tracer/callgrind.py (which subtracts two runs that
differ only in REPEATS); never run alone.

Sets up one configuration, warms the workload up once, then runs it REPEATS
times:
  fib       fib(18): 8361 Python calls, no C call
  builtins  one Python call making 2000 C calls (len, abs) in a loop
Configurations: plain; observer / observer_c (a no-op pyhooks observer,
without / with C-call events: the host's part); tracer / tracer_c (the
tracer, default options / c_calls = true, Perfetto to /dev/null);
tracer_json (the same as tracer, writing Chrome JSON)."""

import os
import sys

config, workload, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def builtins_loop(n, s="abc"):
    for i in range(n):
        len(s)
        abs(i)


if config != "plain":
    import pyhooks
    if config.startswith("observer"):
        variant = "noop_c_calls" if config == "observer_c" else "noop"
        pyhooks.load(os.path.join(os.environ["PYHOOKS_BENCH_PLUGIN_DIR"],
                                  "pyhooks_test_%s.so" % variant),
                     name="noop_a")
    elif config.startswith("tracer"):
        options = {"output": "/dev/null", "summary": False,
                   "c_calls": config == "tracer_c"}
        if config == "tracer_json":
            options["format"] = "json"
        pyhooks.load("tracer", plugin_path=[os.environ[
            "PYHOOKS_BENCH_TRACER_DIR"]], options=options)
    else:
        raise SystemExit("unknown configuration " + config)

if workload == "fib":
    def run():
        fib(18)
else:
    def run():
        builtins_loop(1000)

run()  # warm up: specialization, code states, names interned
for _ in range(repeats):
    run()
