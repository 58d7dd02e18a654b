"""Calls two small functions N times (argv[1]): the profiler's tables must
not grow with N."""
import sys


def leaf(i):
    return i * 2


def branch(i):
    return leaf(i) + 1


total = 0
for i in range(int(sys.argv[1])):
    total += branch(i)
print(total)
