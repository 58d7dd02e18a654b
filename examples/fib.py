"""Recursive Fibonacci, a JIT example kernel: `pyhooks run -p jit examples/fib.py [N]`.

Plain Python with no decorator; every call is a Python call, so what the
JIT saves here is the interpreter's call overhead. Prints repr(fib(N));
N defaults to 34 (about half a second under plain python).
"""

import sys

DEFAULT_SIZE = 34  # about 0.5-1 s under plain python


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def kernel(n):
    return fib(n)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(kernel(size)))
