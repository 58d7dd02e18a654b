"""os.fork(): the child calls child_work() and exits normally; the parent
calls parent_work() and waits for it."""
import os
import sys


def child_work():
    return sum(range(100))


def parent_work():
    return sum(range(10))


pid = os.fork()
if pid == 0:
    child_work()
    sys.exit(0)
parent_work()
_, status = os.waitpid(pid, 0)
print(pid, status)
