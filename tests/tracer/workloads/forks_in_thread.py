"""os.fork() from a thread other than the main one: CPython ends such a
child with pthread_exit when the thread's function returns, so the child
lives exactly as long as its threads. The parent waits for it."""
import os
import threading


def child_work():
    return sum(range(100))


def fork_and_wait():
    pid = os.fork()
    if pid == 0:
        child_work()
        return  # the thread ends, and with it the child
    _, status = os.waitpid(pid, 0)
    print(pid, status)


thread = threading.Thread(target=fork_and_wait)
thread.start()
thread.join()
