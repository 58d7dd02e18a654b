"""One measured process of the JIT benchmark (bench/jit/run.py starts it).

    python driver.py MODE KERNEL SIZE [CALLS]

Imports examples/KERNEL.py as a module and calls its kernel(SIZE) CALLS
times (default 2; 1 for a whole-process run),
timing each call with the CPU clock of the process (time.process_time:
compilation on a background thread counts too). MODE "plain" leaves the
module as it is (run under plain python, or under `pyhooks run -p jit`,
which the runner chooses); MODE "numba" first replaces every function the
module defines with numba.njit(function), the same source, and also times
`import numba`. Prints one JSON line: the result's repr (the same in every
configuration), the first and second call in ms, the import in ms.
"""

import importlib.util
import json
import sys
import time
import types
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def load(kernel):
    spec = importlib.util.spec_from_file_location(kernel,
                                                  EXAMPLES / (kernel + ".py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[kernel] = module
    spec.loader.exec_module(module)
    return module


def main():
    mode, kernel, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
    calls = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    sys.setrecursionlimit(100_000)
    import_ms = 0.0
    module = load(kernel)
    if mode == "numba":
        import warnings
        start = time.process_time()
        import numba
        import_ms = (time.process_time() - start) * 1e3
        warnings.simplefilter("ignore")
        for name, value in list(vars(module).items()):
            if isinstance(value, types.FunctionType) and \
                    value.__module__ == module.__name__:
                setattr(module, name, numba.njit(value))
    elif mode != "plain":
        raise SystemExit("driver.py: unknown mode %r (plain or numba)" % mode)
    start = time.process_time()
    first = module.kernel(size)
    middle = end = time.process_time()
    second = first
    if calls > 1:
        second = module.kernel(size)
        end = time.process_time()
    if repr(first) != repr(second):
        raise SystemExit("driver.py: %s gave %r, then %r" % (kernel, first,
                                                             second))
    print(json.dumps({"result": repr(second),
                      "first_ms": (middle - start) * 1e3,
                      "second_ms": (end - middle) * 1e3,
                      "import_ms": import_ms}))


if __name__ == "__main__":
    main()
