"""Memory probe: N calls (argv[1]) over a fixed set of 50 functions and 3
call depths. The profiler's tables must not grow with N."""
import sys


def make(index):
    def leaf(x):
        return x + index
    leaf.__name__ = leaf.__qualname__ = "leaf_%d" % index
    return leaf


LEAVES = [make(i) for i in range(50)]


def middle(i):
    return LEAVES[i % 50](i)


def top(i):
    return middle(i) + middle(i + 1)


total = 0
for i in range(int(sys.argv[1]) // 5):
    total += top(i)
print(total)
