"""A call-bound program: most of its time is in fib. With $FIB_PID_FILE
set it writes its pid there (for the test that removes its perf map)."""
import os
import sys


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def main():
    if os.environ.get("FIB_PID_FILE"):
        with open(os.environ["FIB_PID_FILE"], "w") as f:
            f.write(str(os.getpid()))
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    print(fib(n))


main()
