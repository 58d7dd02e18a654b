"""os.fork(): the child calls child_work() and exits normally; the parent
calls parent_work(), waits for the child, makes 10000 calls of f() (more
than two of the tracer's 4096-slice chunks), pauses for the writer and
leaves by os._exit, so what the file holds was written by the writer
thread after the fork. logging is imported for its os.register_at_fork
hooks: Python code that 3.13 runs before it counts the threads."""
import logging  # noqa: F401 (its fork hooks)
import os
import sys
import time


def child_work():
    return sum(range(100))


def parent_work():
    return sum(range(10))


def f(i):
    return i


pid = os.fork()
if pid == 0:
    child_work()
    sys.exit(0)
parent_work()
_, status = os.waitpid(pid, 0)
for i in range(10000):
    f(i)
print(pid, status, flush=True)
time.sleep(0.3)
os._exit(0)
