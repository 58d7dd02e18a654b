"""Random programs in the JIT's subset, for differential testing.

    python program_generator.py SEED PROGRAMS > batch.py

A program is a handful of module-level functions over ints, floats and
bools: arithmetic (+ - * / // % **, unary ops), comparisons (chained too),
and/or/not, if/elif/else, while loops with a counter, for over range with
break and continue, calls to the program's earlier functions (and one
bounded recursion), math functions and abs/min/max/int/float/bool/round.
A batch is many programs in one module plus a main that calls each
program's last function on random arguments drawn from the edges of the
subset (2**63-1, -2**63, products past 64 bits, zero divisors, negative
operands, -0.0, inf, nan) three times each, printing repr(result) or the
exception's type and message: the output must be the same under plain
python and under the JIT.

Programs always end and stay small: loops have constant or `% K` bounds,
and every int assigned to a local is taken `% K` (K from a few moduli,
some past 32 bits so that products still overflow 64, one negative; all
of them 64-bit constants, which the JIT takes) so that values cannot grow
from statement to statement; recursion depth is `n % 8`. Ints past 64 bits
still reach locals: as arguments (2**63, -2**63-1) and as results.
Same seed, same batch.
"""

import random
import sys

INT_EDGES = [0, 1, -1, 2, -2, 3, 7, -7, 10, 255, -256, 2**31 - 1, -2**31,
             3037000499, 3037000500, -3037000500, 2**62, -2**62 - 1,
             2**63 - 1, -2**63, 2**63, -2**63 - 1, 2**32 + 1]
FLOAT_EDGES = ["0.0", "-0.0", "1.0", "-1.0", "0.5", "-2.5", "3.75", "1e-300",
               "-1e-300", "5e-324", "1e308", "-1e308", "float('inf')",
               "float('-inf')", "float('nan')", "2.0**53", "1.5e16"]
INT_CONSTS = [0, 1, 2, 3, 5, 7, 10, -1, -3, 2**31, 2**62, 2**63 - 1, -2**63,
              4611686018427387904, 3037000500]
FLOAT_CONSTS = ["0.0", "-0.0", "0.5", "1.5", "-2.25", "3.0", "1e308",
                "1e-308", "0.1"]
MODULI = [7, 1000003, 2**31 - 1, 2**61 - 1, 2**62 + 135, -97]
MATH_FLOAT = ["math.sqrt", "math.sin", "math.cos", "math.exp", "math.fabs",
              "math.atan", "math.log"]
MATH_TO_INT = ["math.floor", "math.ceil", "math.trunc"]


class Function:
    def __init__(self, name, params):
        self.name = name
        self.params = params  # [(name, "int" | "float" | "bool")]


class Generator:
    def __init__(self, rng, prefix):
        self.rng = rng
        self.prefix = prefix
        self.functions = []
        self.lines = []

    # ---- expressions ---------------------------------------------------
    def leaf(self, want, scope):
        rng = self.rng
        names = [n for n, t in scope.items()
                 if t == want or (want == "int" and t == "bool")]
        if names and rng.random() < 0.7:
            return rng.choice(names)
        if want == "float":
            return rng.choice(FLOAT_CONSTS)
        if want == "bool":
            return rng.choice(["True", "False"])
        return repr(rng.choice(INT_CONSTS))

    def expr(self, want, scope, depth):
        """An expression whose value is an int (or bool) when `want` is
        "int", a float when "float", a bool when "bool"."""
        rng = self.rng
        if depth <= 0 or rng.random() < 0.25:
            return self.leaf(want, scope)
        d = depth - 1
        if want == "bool":
            choice = rng.randrange(4)
            if choice == 0:
                kind = rng.choice(["int", "float"])
                ops = ["<", "<=", "==", "!=", ">", ">="]
                if rng.random() < 0.3:
                    return "(%s %s %s %s %s)" % (
                        self.expr(kind, scope, d), rng.choice(ops),
                        self.expr(kind, scope, d), rng.choice(ops),
                        self.expr(kind, scope, d))
                return "(%s %s %s)" % (self.expr(kind, scope, d),
                                       rng.choice(ops),
                                       self.expr(rng.choice(["int", "float"]),
                                                 scope, d))
            if choice == 1:
                return "(not %s)" % self.expr(rng.choice(["int", "float"]),
                                              scope, d)
            if choice == 2:
                return "(%s %s %s)" % (self.expr("bool", scope, d),
                                       rng.choice(["and", "or"]),
                                       self.expr("bool", scope, d))
            return "bool(%s)" % self.expr(rng.choice(["int", "float"]),
                                          scope, d)
        if want == "int":
            choice = rng.randrange(11)
            if choice <= 3:
                op = rng.choice(["+", "-", "*", "//", "%", "+", "-", "*"])
                return "(%s %s %s)" % (self.expr("int", scope, d), op,
                                       self.expr("int", scope, d))
            if choice == 4:
                return "(-%s)" % self.expr("int", scope, d)
            if choice == 5:
                return "%s(%s)" % (rng.choice(["abs", "int"]),
                                   self.expr("int", scope, d))
            if choice == 6:
                return "%s(%s, %s)" % (rng.choice(["min", "max"]),
                                       self.expr("int", scope, d),
                                       self.expr("int", scope, d))
            if choice == 7:
                return "%s(%s)" % (rng.choice(["int", "round"] + MATH_TO_INT),
                                   self.expr("float", scope, d))
            if choice == 8:
                return "(%s ** %d)" % (self.leaf("int", scope),
                                       rng.choice([0, 1, 2, 3]))
            if choice == 9:
                return "(%s %s %s)" % (self.expr("int", scope, d),
                                       rng.choice(["and", "or"]),
                                       self.expr("int", scope, d))
            return self.call("int", scope, d) or self.leaf("int", scope)
        # float
        choice = rng.randrange(10)
        if choice <= 2:
            op = rng.choice(["+", "-", "*", "/", "//", "%", "+", "*", "/"])
            left, right = "float", rng.choice(["int", "float"])
            if rng.random() < 0.5:
                left, right = right, left
            return "(%s %s %s)" % (self.expr(left, scope, d), op,
                                   self.expr(right, scope, d))
        if choice == 3:
            return "(%s / %s)" % (self.expr("int", scope, d),
                                  self.expr("int", scope, d))
        if choice == 4:
            return "(-%s)" % self.expr("float", scope, d)
        if choice == 5:
            return "%s(%s)" % (rng.choice(MATH_FLOAT + ["abs"]),
                               self.expr(rng.choice(["int", "float"]),
                                         scope, d))
        if choice == 6:
            return "%s(%s, %s)" % (rng.choice(["min", "max"]),
                                   self.expr("float", scope, d),
                                   self.expr("float", scope, d))
        if choice == 7:
            return "float(%s)" % self.expr("int", scope, d)
        if choice == 8:
            return "(%s ** %d)" % (self.leaf("float", scope),
                                   rng.choice([0, 1, 2, 3, -1]))
        return self.call("float", scope, d) or self.leaf("float", scope)

    def call(self, want, scope, depth):
        """A call to an earlier function of this program returning `want`."""
        candidates = [f for f in self.functions if f.returns == want]
        if not candidates:
            return None
        f = self.rng.choice(candidates)
        args = [self.expr(t if t != "bool" else "bool", scope, min(depth, 1))
                for _, t in f.params]
        return "%s(%s)" % (f.name, ", ".join(args))

    # ---- statements ----------------------------------------------------
    def emit(self, indent, text):
        self.lines.append("    " * indent + text)

    def assign(self, indent, scope, in_loop):
        rng = self.rng
        kind = rng.choice(["int", "int", "float", "float", "bool"])
        # Loop variables and while counters are never assigned here.
        existing = [n for n, t in scope.items() if t == kind
                    and n[0] not in "iw"]
        if existing and rng.random() < 0.6:
            name = rng.choice(existing)
        else:
            name = "v%d" % len(scope)
        value = self.expr(kind, scope, 3)
        if kind == "int":
            value = "(%s) %% %d" % (value, rng.choice(MODULI))
        if kind in ("int", "float") and rng.random() < 0.2 and name in scope:
            op = rng.choice(["+=", "-=", "*=", "/="] if kind == "float"
                            else ["+=", "-=", "*="])
            if kind == "int":
                self.emit(indent, "%s = (%s %s %s) %% %d" % (
                    name, name, op[0], self.expr(kind, scope, 2),
                    rng.choice(MODULI)))
            else:
                self.emit(indent, "%s %s %s" % (name, op,
                                                self.expr(kind, scope, 2)))
        else:
            self.emit(indent, "%s = %s" % (name, value))
        scope[name] = kind

    def block(self, indent, scope, budget, loop_depth):
        rng = self.rng
        count = rng.randint(1, 3)
        for _ in range(count):
            if budget <= 0:
                self.assign(indent, scope, loop_depth > 0)
                continue
            budget -= 1
            choice = rng.randrange(10)
            if choice <= 3:
                self.assign(indent, scope, loop_depth > 0)
            elif choice <= 5:
                self.emit(indent, "if %s:" % self.expr("bool", scope, 2))
                self.block(indent + 1, dict(scope), budget - 1, loop_depth)
                if rng.random() < 0.4:
                    self.emit(indent, "elif %s:" % self.expr("bool", scope, 2))
                    self.block(indent + 1, dict(scope), budget - 1,
                               loop_depth)
                if rng.random() < 0.6:
                    self.emit(indent, "else:")
                    self.block(indent + 1, dict(scope), budget - 1,
                               loop_depth)
            elif choice <= 7 and loop_depth < 2:
                var = "i%d" % (indent)
                bound = (str(rng.randint(0, 9)) if rng.random() < 0.5 else
                         "%s %% %d" % (self.leaf("int", scope),
                                       rng.randint(1, 9)))
                if rng.random() < 0.3:
                    start = rng.randint(-3, 3)
                    self.emit(indent, "for %s in range(%d, %s, %d):" % (
                        var, start, bound, rng.choice([1, 2, 3])))
                else:
                    self.emit(indent, "for %s in range(%s):" % (var, bound))
                inner = dict(scope)
                inner[var] = "int"
                self.loop_body(indent + 1, inner, budget - 1, loop_depth + 1)
            elif choice == 8 and loop_depth < 2:
                counter = "w%d" % indent
                self.emit(indent, "%s = %d" % (counter, rng.randint(0, 8)))
                self.emit(indent, "while %s > 0:" % counter)
                self.emit(indent + 1, "%s -= 1" % counter)
                inner = dict(scope)
                self.loop_body(indent + 1, inner, budget - 1, loop_depth + 1)
            else:
                self.assign(indent, scope, loop_depth > 0)

    def loop_body(self, indent, scope, budget, loop_depth):
        rng = self.rng
        if rng.random() < 0.3:
            self.emit(indent, "if %s:" % self.expr("bool", scope, 1))
            self.emit(indent + 1, rng.choice(["break", "continue"]))
        self.block(indent, scope, budget, loop_depth)
        if rng.random() < 0.2:
            self.emit(indent, "if %s:" % self.expr("bool", scope, 1))
            self.emit(indent + 1, rng.choice(["break", "continue"]))

    def function(self, index):
        rng = self.rng
        name = "%s_f%d" % (self.prefix, index)
        params = [("a%d" % k, rng.choice(["int", "int", "float", "bool"]))
                  for k in range(rng.randint(1, 3))]
        f = Function(name, params)
        returns = rng.choice(["int", "float", "float", "int", "bool"])
        self.emit(0, "def %s(%s):" % (name, ", ".join(p for p, _ in params)))
        scope = {p: t for p, t in params}
        self.block(1, scope, 4, 0)
        self.emit(1, "return %s" % self.expr(returns, scope, 3))
        self.emit(0, "")
        f.returns = returns
        self.functions.append(f)

    def recursive(self):
        """One bounded recursion: depth `n % 8`, an accumulator of a kind."""
        rng = self.rng
        name = "%s_rec" % self.prefix
        kind = rng.choice(["int", "float"])
        scope = {"n": "int", "acc": kind}
        self.emit(0, "def %s(n, acc):" % name)
        self.emit(1, "if n <= 0:")
        self.emit(2, "return acc")
        step = self.expr(kind, scope, 2)
        if kind == "int":
            step = "(%s) %% %d" % (step, rng.choice(MODULI))
        self.emit(1, "return %s(n - 1, %s)" % (name, step))
        self.emit(0, "")
        f = Function(name, [("n", "int"), ("acc", kind)])
        f.returns = kind
        # Callers pass a small n: the first argument is taken % 8.
        f.params = [("n", "int"), ("acc", kind)]
        self.functions.append(f)
        return f

    def program(self):
        for index in range(self.rng.randint(1, 3)):
            self.function(index)
        if self.rng.random() < 0.4:
            rec = self.recursive()
            # A wrapper so that the recursion's depth stays bounded.
            wrapper = Function("%s_recw" % self.prefix,
                               [("a0", "int"), ("a1", rec.params[1][1])])
            self.emit(0, "def %s(a0, a1):" % wrapper.name)
            self.emit(1, "return %s(a0 %% 8, a1)" % rec.name)
            self.emit(0, "")
            wrapper.returns = rec.returns
            self.functions.remove(rec)
            self.functions.append(wrapper)
        self.function(len(self.functions))
        return self.functions[-1]


def argument(rng, kind):
    if kind == "bool":
        return rng.choice(["True", "False"])
    if kind == "int":
        if rng.random() < 0.6:
            return repr(rng.choice(INT_EDGES))
        return repr(rng.randint(-10**6, 10**6))
    if rng.random() < 0.6:
        return rng.choice(FLOAT_EDGES)
    return repr(rng.uniform(-1e3, 1e3))


def batch(seed, programs, inputs=6):
    """The source of one batch: `programs` programs from `seed`."""
    rng = random.Random(seed)
    out = ["# generated by tests/jit/program_generator.py, seed %d" % seed,
           "import math", ""]
    calls = []
    for p in range(programs):
        gen = Generator(rng, "p%d" % p)
        entry = gen.program()
        out.extend(gen.lines)
        for _ in range(inputs):
            args = ", ".join(argument(rng, t) for _, t in entry.params)
            calls.append("(%r, %s, (%s,))" % ("p%d" % p, entry.name, args))
    out.append("CALLS = [")
    out.extend("    %s," % c for c in calls)
    out.append("]")
    out.append(DRIVER)
    return "\n".join(out) + "\n"


DRIVER = '''

def run_all():
    for label, function, args in CALLS:
        for _ in range(3):
            try:
                result = repr(function(*args))
            except Exception as exc:
                result = "raised %s: %s" % (type(exc).__name__, exc)
            print(label, function.__name__, repr(args), result)


if __name__ == "__main__":
    run_all()
'''


if __name__ == "__main__":
    sys.stdout.write(batch(int(sys.argv[1]), int(sys.argv[2])))
