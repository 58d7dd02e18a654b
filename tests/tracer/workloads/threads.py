"""Two worker threads, alive at the same time (a barrier), call work() 5
times each; the main thread calls main_work() once."""
import threading

barrier = threading.Barrier(2)


def work(n):
    return sum(range(n))


def worker():
    barrier.wait()
    for i in range(5):
        work(100 + i)
    barrier.wait()


def main_work():
    return work(10)


threads = [threading.Thread(target=worker, name="worker-%d" % i)
           for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
main_work()
