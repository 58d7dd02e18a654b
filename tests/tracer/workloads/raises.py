"""An uncaught exception: outer() -> inner() raises; a caught one first."""


def inner(n):
    raise ValueError(n)


def outer(n):
    return inner(n)


def catches():
    try:
        outer(1)
    except ValueError:
        return "caught"


catches()
outer(2)
