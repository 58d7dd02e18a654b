"""f() called N times (argv[1])."""
import sys


def f(i):
    return i + 1


for i in range(int(sys.argv[1])):
    f(i)
