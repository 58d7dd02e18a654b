"""Ends with an uncaught exception."""


def fail():
    raise RuntimeError("uncaught on purpose")


print("before")
fail()
