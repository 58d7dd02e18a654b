"""Raises through a few frames, a generator and an exception chain."""
import sys


def parse(text):
    return int(text)


def values(texts):
    for text in texts:
        yield parse(text)


def total(texts):
    try:
        return sum(values(texts))
    except ValueError as error:
        raise RuntimeError("cannot add up %r" % (texts,)) from error


print("before", flush=True)
print("partial output on stderr", file=sys.stderr, flush=True)
total(sys.argv[1:] or ["1", "two"])
