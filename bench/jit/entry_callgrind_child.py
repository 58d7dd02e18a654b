"""bench/jit/entry_callgrind_child.py CONFIG CALLS - one measurement for
bench/jit/entry_callgrind.py: loads the jit as CONFIG says, warms up, then
calls ident(i) CALLS times from an interpreted loop. Never run alone."""

import os
import sys

config, calls = sys.argv[1], int(sys.argv[2])


def ident(x):
    return x


def loop(numbers):  # a range argument: the jit declines the loop itself
    for i in numbers:
        ident(i)


if config != "plain":
    import pyhooks
    options = {"threshold": 0}
    if config == "jit_declined":
        options["exclude"] = ["*entry_callgrind_child.py"]
    elif config == "jit_compiled":
        options["leaves"] = True  # ident is a leaf: declined by default
    # jit_leaf: the defaults, which leave the leaf ident to the interpreter
    pyhooks.load(os.environ["PYHOOKS_BENCH_JIT"], options=options)

loop(range(1000))  # warm up: specialization, routing, compilation
loop(range(calls))
