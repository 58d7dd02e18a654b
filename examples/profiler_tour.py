"""A small program with a bit of everything, to try the profiler on:

    pyhooks run -p profiler examples/profiler_tour.py

- a tokenizer and recursive-descent evaluator for arithmetic (calls,
  recursion, methods),
- a generator pipeline (one call per generator, however often resumed),
- asyncio tasks (coroutines suspended at await),
- a thread pool (per-thread stacks, merged),
- a JSON round trip (C code: charged to the Python caller),
- an exception that escapes three frames.

It prints a short report of what it computed and takes about a second.
"""

import asyncio
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*)|(.))")


class Tokenizer:
    def __init__(self, text):
        self.tokens = [number or op for number, op in TOKEN.findall(text)]
        self.index = 0

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def next_token(self):
        token = self.peek()
        self.index += 1
        return token


class Evaluator:
    """expr := term (('+'|'-') term)*; term := factor (('*'|'/') factor)*;
    factor := number | '(' expr ')' | '-' factor"""

    def __init__(self, text):
        self.tokens = Tokenizer(text)

    def expr(self):
        value = self.term()
        while self.tokens.peek() in ("+", "-"):
            if self.tokens.next_token() == "+":
                value += self.term()
            else:
                value -= self.term()
        return value

    def term(self):
        value = self.factor()
        while self.tokens.peek() in ("*", "/"):
            if self.tokens.next_token() == "*":
                value *= self.factor()
            else:
                value /= self.factor()
        return value

    def factor(self):
        token = self.tokens.next_token()
        if token == "(":
            value = self.expr()
            self.tokens.next_token()  # ')'
            return value
        if token == "-":
            return -self.factor()
        return float(token)


def nested_expression(depth):
    if depth == 0:
        return "2"
    inner = nested_expression(depth - 1)
    return "(%s * 3 - %s / 2 + 1)" % (inner, inner) if depth % 2 else "(%s + 4)" % inner


def calculate():
    total = 0.0
    for depth in range(1, 9):
        total += Evaluator(nested_expression(depth)).expr()
    return total


def readings(count):
    for i in range(count):
        yield (i * 7919) % 1000 / 10.0


def smooth(values, width):
    window = []
    for value in values:
        window.append(value)
        if len(window) > width:
            window.pop(0)
        yield sum(window) / len(window)


def pipeline():
    return max(smooth(readings(60000), 8))


async def fetch(index):
    await asyncio.sleep(0.001 * (index % 3))
    return sum(range(index * 1000))


async def crawl():
    results = await asyncio.gather(*(fetch(i) for i in range(40)))
    return sum(results)


def checksum(chunk):
    text = json.dumps({"chunk": chunk, "values": list(range(chunk, chunk + 2000))})
    return sum(json.loads(text)["values"]) % 1000003


def threads():
    with ThreadPoolExecutor(max_workers=3) as pool:
        return sum(pool.map(checksum, range(60)))


def validate(record):
    if "id" not in record:
        raise KeyError("record without an id")


def load_record(record):
    validate(record)


def import_records(records):
    loaded = 0
    for record in records:
        try:
            load_record(record)
            loaded += 1
        except KeyError:
            pass
    return loaded


def main():
    report = {
        "calculate": round(calculate(), 3),
        "pipeline": round(pipeline(), 3),
        "crawl": asyncio.run(crawl()),
        "threads": threads(),
        "imported": import_records([{"id": i} if i % 4 else {} for i in range(2000)]),
    }
    for key, value in report.items():
        print("%-10s %s" % (key, value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
