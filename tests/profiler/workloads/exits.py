"""Prints, writes to stderr, reads argv and exits with a status: the same
with and without the profiler."""
import sys


def greet(name):
    return "hello, %s" % name


print(greet(sys.argv[1] if len(sys.argv) > 1 else "nobody"))
print("argv:", sys.argv[1:])
sys.stderr.write("to stderr\n")
sys.exit(int(sys.argv[2]) if len(sys.argv) > 2 else 3)
