"""An uncaught exception: outer() -> inner() raises; a caught one of the
script's own class first."""


class Oops(Exception):
    pass


def inner(n):
    raise (ValueError if n == 2 else Oops)(n)


def outer(n):
    return inner(n)


def catches():
    try:
        outer(1)
    except Oops:
        return "caught"


catches()
outer(2)
