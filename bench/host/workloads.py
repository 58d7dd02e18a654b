"""bench/host/workloads.py - the three programs of the host benchmark.

Each is a fixed amount of work (~0.1-0.4 s on this machine kind) that
returns a checksum, so a run that did not do the work is noticed:

- calls: recursive fib, nothing but Python-to-Python calls (the case a
  PEP 523 hook hurts most, since it stops CPython inlining them);
- methods: small objects with methods and a property, called in a loop;
- loops: arithmetic in loops with few calls (a hook should cost nothing);
- generators: generator pipelines and a coroutine chain driven by send(),
  where every resume is a separate frame entry (a hook slows these on 3.12+
  because it also disables CPython's inlined generator resumption).
"""


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def calls():
    return fib(27)


class Vector:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def add(self, other):
        return Vector(self.x + other.x, self.y + other.y)

    def dot(self, other):
        return self.x * other.x + self.y * other.y

    @property
    def norm1(self):
        return abs(self.x) + abs(self.y)


def methods():
    total = 0
    acc = Vector(0, 0)
    step = Vector(1, -1)
    for i in range(200_000):
        acc = acc.add(step)
        total += acc.dot(step) + acc.norm1
    return total


def loops():
    total = 0
    for i in range(800_000):
        total += (i * i) % 7
        if i & 1:
            total -= 1
    j = 0
    while j < 400_000:
        total ^= j
        j += 3
    return total


def numbers(n):
    for i in range(n):
        yield i


def squares(source):
    for value in source:
        yield value * value


def evens(source):
    for value in source:
        if not value & 1:
            yield value


def accumulator():
    total = 0
    while True:
        value = yield total
        total += value


def relay(inner):
    result = yield from inner
    return result


def generators():
    total = sum(evens(squares(numbers(150_000))))
    coroutine = relay(accumulator())
    next(coroutine)
    for i in range(100_000):
        total += coroutine.send(i) & 0xFF
    return total


WORKLOADS = {"calls": calls, "methods": methods, "loops": loops,
             "generators": generators}
