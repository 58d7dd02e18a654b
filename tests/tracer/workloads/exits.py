"""f() 5 times, then sys.exit(4) from inside a function."""
import sys


def f(i):
    return i


def leave():
    sys.exit(4)


for i in range(5):
    f(i)
leave()
