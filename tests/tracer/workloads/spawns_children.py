"""multiprocessing with fork and spawn, and a child killed by SIGKILL: each
child calls a function named after it; the killed one makes 10000 calls of
tick() (more than two of the tracer's 4096-slice chunks), then waits to be
killed. Prints the pids: fork, spawn, killed."""
import multiprocessing
import os
import signal
import sys
import time


def tick(i):
    return i


def in_forked_child():
    return sum(range(10))


def in_spawned_child():
    return sum(range(20))


def in_killed_child(ready):
    for i in range(10000):
        tick(i)
    ready.set()  # its writer thread writes the two full chunks meanwhile
    time.sleep(60)


def in_program():
    return 1


if __name__ == "__main__":
    in_program()
    pids = []
    for method, target in (("fork", in_forked_child),
                           ("spawn", in_spawned_child)):
        child = multiprocessing.get_context(method).Process(target=target)
        child.start()
        child.join()
        assert child.exitcode == 0, (method, child.exitcode)
        pids.append(child.pid)
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    killed = context.Process(target=in_killed_child, args=(ready,))
    killed.start()
    ready.wait(30)
    time.sleep(0.7)
    os.kill(killed.pid, signal.SIGKILL)
    killed.join()
    assert killed.exitcode == -signal.SIGKILL, killed.exitcode
    pids.append(killed.pid)
    print(*pids, flush=True)
    sys.exit(0)
