"""A call-bound program: most of its time is in fib."""
import sys


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    print(fib(n))


main()
