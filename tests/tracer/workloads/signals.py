"""Calls f() 10 times, then sends itself argv[1] (TERM or INT) and waits."""
import os
import signal
import sys
import time


def f(i):
    return i * 3


for i in range(10):
    f(i)
os.kill(os.getpid(), getattr(signal, "SIG" + sys.argv[1]))
time.sleep(10)
print("not reached")
