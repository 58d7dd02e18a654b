"""Builtins as cProfile lists them: len, sorted calling back into Python,
list.sort (a method descriptor), divmod raising (C_RAISE), time.sleep."""
import time


def key(x):
    return -x


def work():
    data = list(range(50))
    for _ in range(20):
        len(data)
        sorted(data, key=key)
        data.sort()
        try:
            divmod(1, 0)
        except ZeroDivisionError:
            pass
    time.sleep(0.05)


def main():
    work()


main()
