"""Leibniz's series for pi, a JIT example kernel:
`pyhooks run -p jit examples/leibniz.py [N]`.

4 * sum((-1)**k / (2k+1)) over N terms, the sign kept in a float local
(true division, unary minus). Prints the repr of the estimate; N
defaults to 10 000 000 (about a second under plain python).
"""

import sys

DEFAULT_SIZE = 10_000_000  # about 0.5-1 s under plain python


def leibniz(terms):
    total = 0.0
    sign = 1.0
    for k in range(terms):
        total += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * total


def kernel(terms):
    return leibniz(terms)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(kernel(size)))
