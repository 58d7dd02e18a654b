"""A function the JIT compiles (fib: ints, recursion) and one it declines
(describe: a dict and an f-string); prints the pid so that the test finds
the map, and results plain python prints too."""
import os


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def describe(values):
    counts = {}
    for value in values:
        counts[value % 3] = counts.get(value % 3, 0) + 1
    return f"{sorted(counts.items())}"


print("pid", os.getpid())
print(fib(20), describe(range(10)))
