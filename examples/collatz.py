"""The longest Collatz chain, a JIT example kernel:
`pyhooks run -p jit examples/collatz.py [N]`.

Finds the start below N with the longest chain n -> n/2 (even),
3n+1 (odd) down to 1 (`//`, `%`, a data-dependent `while`); prints the
start and its chain length. N defaults to 150 000 (about a second under
plain python); the values stay far inside 64 bits for N below 10**8.
"""

import sys

DEFAULT_SIZE = 150_000  # about 0.5-1 s under plain python


def chain_length(n):
    steps = 1
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def longest_chain(limit):
    best = 1
    best_length = 1
    for start in range(1, limit):
        length = chain_length(start)
        if length > best_length:
            best = start
            best_length = length
    return best


def kernel(limit):
    return longest_chain(limit)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    best = kernel(size)
    print(repr(best), repr(chain_length(best)))
