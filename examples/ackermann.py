"""The Ackermann function, a JIT example kernel:
`pyhooks run -p jit examples/ackermann.py [N]`.

A(2, N) computed by the plain doubly recursive definition: about N**2
calls, recursion about 3N deep (the limit is raised for it). Prints
A(2, N) (which is 2N + 3); N defaults to 2 000 (about half a second under
plain python).
"""

import sys

DEFAULT_SIZE = 2_000  # about 0.5-1 s under plain python


def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def kernel(n):
    return ackermann(2, n)


if __name__ == "__main__":
    sys.setrecursionlimit(100_000)
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(kernel(size)))
