"""One generator run to the end alone (its 4 runs are one linked
activation), then two of the same code interleaved by zip (not linkable
without frame identity: each run stands alone)."""


def produce(count):
    for i in range(count):
        yield i * i


def alone():
    return sum(produce(3))


def interleaved():
    return [a + b for a, b in zip(produce(2), produce(2))]


print(alone(), interleaved())
