"""Children that are new interpreters: parent_only() runs here, then a
subprocess runs this file with "child" (child_only()), then a multiprocessing
spawn-context process runs spawned_only(). Prints the two children's pids,
one a line."""
import multiprocessing
import subprocess
import sys


def parent_only():
    return sum(range(3000))


def child_only():
    return sum(range(2000))


def spawned_only(queue):
    import os

    queue.put(os.getpid())
    return sum(range(1000))


def main():
    parent_only()
    child = subprocess.run([sys.executable, __file__, "child"],
                           stdout=subprocess.PIPE, text=True, check=True)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=spawned_only, args=(queue,))
    process.start()
    spawned_pid = queue.get()
    process.join()
    print(child.stdout.strip())
    print(spawned_pid)


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        import os

        child_only()
        print(os.getpid())
    else:
        main()
