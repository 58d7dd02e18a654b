"""The one small module the "excluded" configuration measures: the driver
calls work() around every program in every configuration, so all
configurations do the same work and the profiler has something to record."""


def checksum(values):
    total = 0
    for value in values:
        total = (total * 31 + value) % 1000003
    return total


def work(rounds):
    return sum(checksum(range(i, i + 20)) for i in range(rounds))
