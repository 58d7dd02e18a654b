"""Runs one benchmark program once under one configuration and prints one
JSON line: the program's process CPU time and its output (the checksum).

    python [-X perf] driver.py CONFIG PROGRAM [ARGS...]

CONFIG: plain | bare | hook | native_names | xperf
  plain         the program alone
  bare          the bare eval-frame hook: a pass-through PEP 523 function,
                no pyhooks (the test extension _pyhooks_test_foreign, found
                in $PYHOOKS_BENCH_EXT_DIR)
  hook          pyhooks with one evaluator that declines every frame
                ($PYHOOKS_BENCH_HOOK, "LIBRARY[#PLUGIN]")
  native_names  the native_names plugin
  xperf         CPython's own trampoline (the runner starts python -X perf)
Removes the perf map the run wrote, so that /tmp does not fill up.
"""

import io
import json
import os
import runpy
import sys
import time


def main():
    config, program = sys.argv[1:3]
    if config == "bare":
        sys.path.insert(0, os.environ["PYHOOKS_BENCH_EXT_DIR"])
        import _pyhooks_test_foreign
        _pyhooks_test_foreign.install()
        del sys.path[0]
    elif config == "hook":
        import pyhooks
        library, _, name = os.environ["PYHOOKS_BENCH_HOOK"].partition("#")
        pyhooks.load(library, name=name or None)
    elif config == "native_names":
        import pyhooks
        pyhooks.load("native_names")
    elif config == "xperf":
        if not sys.is_stack_trampoline_active():
            raise SystemExit("xperf: start the driver with python -X perf")
    elif config != "plain":
        raise SystemExit("unknown configuration %r" % config)

    sys.argv = sys.argv[2:]
    sys.path[0] = os.path.dirname(os.path.abspath(program))
    captured = io.StringIO()
    real_stdout = sys.stdout
    sys.stdout = captured
    cpu0 = time.process_time()
    runpy.run_path(program, run_name="__main__")
    cpu1 = time.process_time()
    sys.stdout = real_stdout
    try:
        os.unlink("/tmp/perf-%d.map" % os.getpid())
    except FileNotFoundError:
        pass
    print(json.dumps({"cpu": cpu1 - cpu0, "output": captured.getvalue().strip()}))


main()
