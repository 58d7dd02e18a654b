"""A small program to run under pyhooks: `pyhooks run examples/demo.py`.

It generates a day of web-server log lines, parses them (a class), streams
them through generator stages, evaluates arithmetic "queries" with a
recursive-descent parser, and solves a little packing problem recursively,
then prints a report. Deterministic; runs in about a second on CPython
3.11-3.13, so that a profile of it has something in every shape: deep
recursion, generators suspended and resumed, methods, comprehensions.
"""

import collections
import random
import sys
from dataclasses import dataclass

# ---- log generation and parsing --------------------------------------------

PATHS = ["/", "/login", "/search", "/item/{}", "/cart", "/checkout", "/api/v1/stats"]
STATUSES = [200] * 17 + [301, 404, 500]


def generate_log(lines, seed=2024):
    """Yields synthetic access-log lines."""
    rng = random.Random(seed)
    for second in range(lines):
        path = rng.choice(PATHS).format(rng.randrange(1, 500))
        status = rng.choice(STATUSES)
        size = rng.randrange(200, 20000) if status == 200 else 0
        millis = int(rng.expovariate(1 / 40)) + 1
        yield "10.0.%d.%d - - [t+%05d] \"GET %s HTTP/1.1\" %d %d %dms" % (
            rng.randrange(4), rng.randrange(256), second, path, status, size, millis)


@dataclass
class Request:
    client: str
    second: int
    path: str
    status: int
    size: int
    millis: int

    @classmethod
    def parse(cls, line):
        client, _, _, stamp, _, path, _, status, size, millis = line.split()
        return cls(client, int(stamp[3:-1]), path, int(status), int(size), int(millis[:-2]))

    @property
    def route(self):
        parts = self.path.split("/")
        return "/".join("{id}" if part.isdigit() else part for part in parts)


def parsed(lines):
    for line in lines:
        yield Request.parse(line)


def only_errors(requests):
    for request in requests:
        if request.status >= 400:
            yield request


def sliding_average(values, width):
    """Generator with state between resumptions: a moving average."""
    window = collections.deque(maxlen=width)
    total = 0
    for value in values:
        if len(window) == width:
            total -= window[0]
        window.append(value)
        total += value
        yield total / len(window)


# ---- a recursive-descent evaluator ------------------------------------------

def tokenize(text):
    number = ""
    for char in text:
        if char.isdigit() or char == ".":
            number += char
            continue
        if number:
            yield float(number)
            number = ""
        if char in "+-*/()":
            yield char
    if number:
        yield float(number)


class Evaluator:
    """expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
    factor := number | '(' expr ')' | '-' factor"""

    def __init__(self, text):
        self.tokens = list(tokenize(text))
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.at += 1
        return token

    def expr(self):
        value = self.term()
        while self.peek() in ("+", "-"):
            value = value + self.term() if self.take() == "+" else value - self.term()
        return value

    def term(self):
        value = self.factor()
        while self.peek() in ("*", "/"):
            value = value * self.factor() if self.take() == "*" else value / self.factor()
        return value

    def factor(self):
        token = self.take()
        if token == "(":
            value = self.expr()
            self.take()  # ')'
            return value
        if token == "-":
            return -self.factor()
        return token


def nested_expression(depth, rng):
    if depth == 0:
        return str(rng.randrange(1, 10))
    op = rng.choice("+-*")
    return "(%s %s %s)" % (nested_expression(depth - 1, rng), op,
                           nested_expression(depth - 1, rng))


# ---- recursion: packing requests into batches -------------------------------

def best_packing(sizes, capacity, memo=None):
    """Largest total of `sizes` that fits in `capacity` (0/1 knapsack)."""
    if memo is None:
        memo = {}
    key = (len(sizes), capacity)
    if key in memo:
        return memo[key]
    if not sizes or capacity == 0:
        result = 0
    elif sizes[0] > capacity:
        result = best_packing(sizes[1:], capacity, memo)
    else:
        result = max(best_packing(sizes[1:], capacity, memo),
                     sizes[0] + best_packing(sizes[1:], capacity - sizes[0], memo))
    memo[key] = result
    return result


def fibonacci(n):
    return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)


# ---- the report ------------------------------------------------------------

def main(lines=60000):
    requests = list(parsed(generate_log(lines)))
    by_route = collections.Counter(request.route for request in requests)
    errors = collections.Counter(r.status for r in only_errors(requests))
    latency = list(sliding_average((r.millis for r in requests), width=50))

    rng = random.Random(7)
    answers = [Evaluator(nested_expression(5, rng)).expr() for _ in range(120)]

    sizes = [r.size // 100 for r in requests[:60] if r.size]
    packed = best_packing(sizes, 600)

    print("requests: %d, routes: %d" % (len(requests), len(by_route)))
    for route, count in by_route.most_common(3):
        print("  %-16s %6d" % (route, count))
    print("errors: " + ", ".join("%d x%d" % item for item in sorted(errors.items())))
    print("worst 50-request average latency: %.1f ms" % max(latency))
    print("expressions evaluated: %d, sum %.0f" % (len(answers), sum(answers)))
    print("best packing of %d responses into 600: %d" % (len(sizes), packed))
    print("fibonacci(22) = %d" % fibonacci(22))
    return 0


if __name__ == "__main__":
    sys.exit(main())
