"""Functions of every kind the map should name, code objects that die and
are re-created (exec in a loop), and one that raises; prints the pid so that
the test finds the map, and a result that plain python prints too."""
import os
import sys


class Shape:
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side

    @staticmethod
    def unit():
        return Shape(1)


def outer(n):
    def inner(k):
        return k + 1
    return sum(inner(i) for i in range(n))


def recreated(count):
    # One fresh code object per iteration, all named "<lambda>" in
    # "<recreated>": their trampolines are recycled, not multiplied.
    total = 0
    for i in range(count):
        code = compile("lambda: %d" % i, "<recreated>", "eval")
        total += eval(code)()
    return total


def distinct(count):
    # Fresh code objects with distinct names: one map line each.
    total = 0
    for i in range(count):
        namespace = {}
        exec(compile("def gen_%d():\n    return %d\n" % (i, i), "<distinct>",
                     "exec"), namespace)
        total += namespace["gen_%d" % i]()
    return total


def fails():
    raise ValueError("expected")


print("pid", os.getpid())
print(Shape(3).area(), Shape.unit().area(), outer(10))
print(recreated(int(sys.argv[1])), distinct(int(sys.argv[2])))
try:
    fails()
except ValueError as error:
    print("caught", error)
