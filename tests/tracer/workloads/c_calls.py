"""C functions as cProfile names them: len, sorted calling back into Python
(key), list.sort (a method descriptor), divmod raising (C_RAISE) and
time.sleep (10 ms, for the duration check)."""
import time


def key(x):
    return -x


def work():
    data = list(range(5))
    len(data)
    sorted(data, key=key)
    data.sort()
    try:
        divmod(1, 0)
    except ZeroDivisionError:
        pass
    time.sleep(0.01)


work()
