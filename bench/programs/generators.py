"""Generator pipelines: source, map, filter and sliding-window stages chained
with yield from, consumed in a loop."""


def numbers(n):
    for i in range(n):
        yield i


def squares(items):
    for item in items:
        yield item * item % 1009


def evens(items):
    for item in items:
        if item % 2 == 0:
            yield item


def windows(items, size):
    window = []
    for item in items:
        window.append(item)
        if len(window) == size:
            yield tuple(window)
            window.pop(0)


def chained(n):
    yield from evens(squares(numbers(n)))
    yield from squares(numbers(n // 2))


def main():
    total = 0
    for window in windows(chained(400000), 4):
        total += window[0] - window[-1] + window[1]
    print(total)


main()
