"""Names functions before a fork, then more in the child and in the parent:
the child's map holds what it inherited plus its own, the parent's never the
child's."""
import os


def before_fork():
    return 1


def in_child():
    return 2


def parent_after():
    return 3


before_fork()
read_end, write_end = os.pipe()
child = os.fork()
if child == 0:
    os.close(read_end)
    in_child()
    os.write(write_end, b"%d\n" % os.getpid())
    os._exit(0)
os.close(write_end)
parent_after()
child_pid = int(os.read(read_end, 64))
os.waitpid(child, 0)
print("parent", os.getpid(), "child", child_pid)
