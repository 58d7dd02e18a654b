"""bench/host/entry_callgrind_child.py CONFIG CALLS - one measurement for
bench/host/entry_callgrind.py: sets up CONFIG, warms up, then calls
ident(i) CALLS times from a Python loop. Never run alone."""

import ctypes
import os
import sys

config, calls = sys.argv[1], int(sys.argv[2])
plugins = os.environ["PYHOOKS_BENCH_PLUGIN_DIR"]


def ident(x):
    return x


def loop(n):
    for i in range(n):
        ident(i)


if config != "plain":
    import pyhooks
    if config == "hook":
        pyhooks.load(os.path.join(plugins,
                                  "pyhooks_test_passthrough_evaluator.so"))
    else:
        # entry_only*: the router as an entry evaluator (HOST-28), which
        # asks for no eval-frame hook.
        router = os.path.join(plugins, "pyhooks_test_router.so")
        name = "entry_router" if config.startswith("entry_only") else "router"
        mode = "decline" if config.endswith("declined") else "handle"
        pyhooks.load(router, name=name, options={"bench": mode})
        # PyDLL: the call keeps the GIL, as a plugin's host calls need.
        library = ctypes.PyDLL(router, mode=os.RTLD_NOLOAD | os.RTLD_NOW)
        route = library.pyhooks_test_router_route
        route.argtypes = [ctypes.py_object, ctypes.c_long]
        if not config.endswith("unrouted") and route(ident, 1) != 0:
            raise SystemExit("function_entry_set refused ident")

loop(1000)  # warm up: specialization, code states
loop(calls)
