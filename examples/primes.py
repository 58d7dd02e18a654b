"""Prime counting by trial division, a JIT example kernel:
`pyhooks run -p jit examples/primes.py [N]`.

Counts the primes below N, testing each odd candidate against odd
divisors up to its square root (int arithmetic, `%`, a `while` loop that
returns early, a call per candidate). Prints the count; N
defaults to 600 000 (about a second under plain python).
"""

import sys

DEFAULT_SIZE = 600_000  # about 0.5-1 s under plain python


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def count_primes(limit):
    count = 0
    for n in range(limit):
        if is_prime(n):
            count += 1
    return count


def kernel(limit):
    return count_primes(limit)


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    print(repr(kernel(size)))
