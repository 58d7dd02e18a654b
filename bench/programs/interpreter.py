"""An interpreter: tokenizer, recursive-descent parser and tree-walking
evaluator for a small expression language with functions and loops."""

import re

SOURCE = """
fn fact(n) { if n < 2 { return 1; } return n * fact(n - 1); }
fn fib(n) { a = 0; b = 1; i = 0; while i < n { t = a + b; a = b; b = t; i = i + 1; } return a; }
fn collatz(n) { steps = 0; while n != 1 { if n % 2 == 0 { n = n / 2; } else { n = 3 * n + 1; } steps = steps + 1; } return steps; }
total = 0; k = 1;
while k < 160 { total = total + collatz(k) + fib(k % 30) % 1000 + fact(k % 12) % 97; k = k + 1; }
result = total;
"""

TOKEN = re.compile(r"\s*(?:(\d+)|([A-Za-z_]\w*)|(==|!=|<=|>=|[-+*/%<>=(){};,]))")


def tokenize(text):
    tokens = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise SyntaxError("bad input at %d" % position)
        number, name, op = match.groups()
        if number is not None:
            tokens.append(("num", int(number)))
        elif name is not None:
            tokens.append(("kw" if name in ("fn", "if", "else", "while", "return") else "name", name))
        else:
            tokens.append(("op", op))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    tokens.append(("end", None))
    return tokens


class Parser:
    def __init__(self, tokens):
        self.tokens = tokens
        self.index = 0

    def peek(self):
        return self.tokens[self.index]

    def take(self, kind=None, value=None):
        token = self.tokens[self.index]
        if kind is not None and token[0] != kind or value is not None and token[1] != value:
            raise SyntaxError("expected %s %s, got %r" % (kind, value, token))
        self.index += 1
        return token

    def at(self, kind, value=None):
        token = self.tokens[self.index]
        return token[0] == kind and (value is None or token[1] == value)

    def program(self):
        statements = []
        while not self.at("end"):
            statements.append(self.statement())
        return ("block", statements)

    def block(self):
        self.take("op", "{")
        statements = []
        while not self.at("op", "}"):
            statements.append(self.statement())
        self.take("op", "}")
        return ("block", statements)

    def statement(self):
        if self.at("kw", "fn"):
            self.take()
            name = self.take("name")[1]
            self.take("op", "(")
            params = []
            while not self.at("op", ")"):
                params.append(self.take("name")[1])
                if self.at("op", ","):
                    self.take()
            self.take("op", ")")
            return ("fn", name, params, self.block())
        if self.at("kw", "if"):
            self.take()
            condition = self.expression()
            then = self.block()
            otherwise = None
            if self.at("kw", "else"):
                self.take()
                otherwise = self.block()
            return ("if", condition, then, otherwise)
        if self.at("kw", "while"):
            self.take()
            return ("while", self.expression(), self.block())
        if self.at("kw", "return"):
            self.take()
            value = self.expression()
            self.take("op", ";")
            return ("return", value)
        if self.peek()[0] == "name" and self.tokens[self.index + 1] == ("op", "="):
            name = self.take()[1]
            self.take()
            value = self.expression()
            self.take("op", ";")
            return ("set", name, value)
        value = self.expression()
        self.take("op", ";")
        return ("expr", value)

    def expression(self):
        left = self.additive()
        while self.peek()[0] == "op" and self.peek()[1] in ("<", ">", "==", "!=", "<=", ">="):
            op = self.take()[1]
            left = ("bin", op, left, self.additive())
        return left

    def additive(self):
        left = self.term()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            left = ("bin", op, left, self.term())
        return left

    def term(self):
        left = self.factor()
        while self.peek()[0] == "op" and self.peek()[1] in ("*", "/", "%"):
            op = self.take()[1]
            left = ("bin", op, left, self.factor())
        return left

    def factor(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", value)
        if kind == "name":
            if self.at("op", "("):
                self.take()
                args = []
                while not self.at("op", ")"):
                    args.append(self.expression())
                    if self.at("op", ","):
                        self.take()
                self.take("op", ")")
                return ("call", value, args)
            return ("var", value)
        if (kind, value) == ("op", "("):
            inner = self.expression()
            self.take("op", ")")
            return inner
        raise SyntaxError("unexpected %r" % ((kind, value),))


class Return(Exception):
    def __init__(self, value):
        self.value = value


OPS = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a // b, "%": lambda a, b: a % b, "<": lambda a, b: a < b,
    ">": lambda a, b: a > b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
}


class Interpreter:
    def __init__(self):
        self.functions = {}

    def run(self, tree):
        scope = {}
        self.execute(tree, scope)
        return scope

    def execute(self, node, scope):
        kind = node[0]
        if kind == "block":
            for statement in node[1]:
                self.execute(statement, scope)
        elif kind == "set":
            scope[node[1]] = self.evaluate(node[2], scope)
        elif kind == "if":
            if self.evaluate(node[1], scope):
                self.execute(node[2], scope)
            elif node[3] is not None:
                self.execute(node[3], scope)
        elif kind == "while":
            while self.evaluate(node[1], scope):
                self.execute(node[2], scope)
        elif kind == "return":
            raise Return(self.evaluate(node[1], scope))
        elif kind == "fn":
            self.functions[node[1]] = (node[2], node[3])
        else:
            self.evaluate(node[1], scope)

    def evaluate(self, node, scope):
        kind = node[0]
        if kind == "num":
            return node[1]
        if kind == "var":
            return scope[node[1]]
        if kind == "bin":
            return OPS[node[1]](self.evaluate(node[2], scope), self.evaluate(node[3], scope))
        if kind == "call":
            params, body = self.functions[node[1]]
            local = dict(zip(params, (self.evaluate(arg, scope) for arg in node[2])))
            try:
                self.execute(body, local)
            except Return as done:
                return done.value
            return None
        raise ValueError(kind)


results = []
for _ in range(4):
    tree = Parser(tokenize(SOURCE)).program()
    results.append(Interpreter().run(tree)["result"])
print(results[0], len(results))
