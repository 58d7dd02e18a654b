"""Arguments and return values for capture_args / capture_return: plain
values, a long non-ASCII string (repr_limit cuts it), a repr that raises, a
repr that runs Python code (never traced itself) and counts its calls, a
generator, a repr that raises and catches while an exception is being
handled, and an uncaught exception at the end (its traceback as under plain
python)."""
import sys


class Boom:
    def __repr__(self):
        raise TypeError("no repr")


class Counted:
    calls = 0

    def __repr__(self):
        Counted.calls += 1
        return "Counted(" + helper() + ")"


class Quiet:
    def __repr__(self):
        try:
            raise KeyError("inside repr")
        except KeyError:
            return "Quiet()"


def helper():
    return "h"


def add(a, b, *rest, scale=1, **extra):
    return (a + b) * scale


def text(s):
    return s


def takes(x):
    return None


def gen(n):
    yield n


def fails(x):
    raise ValueError("the end")


add(1, 2, 3, scale=2, z=1)
text("\u00e9" * 100)
takes(Boom())
takes(Counted())
list(gen(7))
try:
    raise LookupError("handled")
except LookupError:
    takes(Quiet())
    print("still handling", type(sys.exc_info()[1]).__name__)
print("repr calls", Counted.calls)
fails(Boom())
