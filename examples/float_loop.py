"""A float accumulation loop, a JIT example kernel:
`pyhooks run -p jit examples/float_loop.py [N]`.

Sums i * 0.5 for i in range(N) in a float local; int/float mixing in the
loop. Prints the repr of the sum; N defaults to 20 000 000 (about a second
under plain python).
"""

import sys

DEFAULT_SIZE = 20_000_000  # about 0.5-1 s under plain python


def float_loop(n):
    total = 0.0
    for i in range(n):
        total += i * 0.5
    return total


def kernel(n):
    return float_loop(n)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(kernel(size)))
