"""10000 calls of f() (more than two of the tracer's 4096-slice chunks),
a pause for the writer, then os._exit without any exit handler."""
import os
import time


def f(i):
    return i


for i in range(10000):
    f(i)
time.sleep(0.5)
os._exit(3)
