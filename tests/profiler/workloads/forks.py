"""Forks: before_fork() runs in the parent before os.fork(); the child runs
child_only() and exits normally; the parent runs parent_only() and waits.
Prints the child's pid."""
import os
import sys


def before_fork():
    return sum(range(1000))


def child_only():
    return sum(range(2000))


def parent_only():
    return sum(range(3000))


before_fork()
pid = os.fork()
if pid == 0:
    child_only()
    sys.stdout.flush()
    sys.exit(0)
parent_only()
_, status = os.waitpid(pid, 0)
print(pid)
sys.exit(os.waitstatus_to_exitcode(status))
