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

With lists (batch(..., lists=True); test_differential's list batches),
functions also take and make lists of floats or ints ("flist", "ilist":
`[c] * n`, literals), read them by index (`l[k % len(l)]`, negative or out
of range ones too: IndexError), store into them (`l[k] = ...`, `+=`), and
call `len`; the driver prints the arguments after each call, so stores
into an argument list are compared too. Lists drawn as arguments mix in
ints, big ints and bools now and then (the element guards).

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


LIST_ELEMENT = {"flist": "float", "ilist": "int"}


class Generator:
    def __init__(self, rng, prefix, lists=False):
        self.rng = rng
        self.prefix = prefix
        self.lists = lists
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

    def list_value(self, want, scope):
        """A list of `want` ("flist"/"ilist"): a local of that kind or a new
        one."""
        rng = self.rng
        names = [n for n, t in scope.items() if t == want]
        if names and rng.random() < 0.8:
            return rng.choice(names)
        item = self.leaf(LIST_ELEMENT[want], {})
        if rng.random() < 0.5:
            return "[%s] * %d" % (item, rng.randint(1, 6))
        return "[%s]" % ", ".join(self.leaf(LIST_ELEMENT[want], {})
                                   for _ in range(rng.randint(1, 4)))

    def index(self, name, scope):
        """An index into list `name`: mostly in range, now and then
        negative or past the end."""
        rng = self.rng
        k = self.leaf("int", scope)
        roll = rng.random()
        if roll < 0.8:
            return "(%s) %% max(len(%s), 1)" % (k, name)
        if roll < 0.95:
            return "-1 - (%s) %% max(len(%s), 1)" % (k, name)
        return "(%s) %% 9" % k

    def element(self, want, scope):
        """A read of a list element of kind `want`, or None."""
        names = [n for n, t in scope.items()
                 if LIST_ELEMENT.get(t) == want]
        if not names:
            return None
        name = self.rng.choice(names)
        if want == "int" and self.rng.random() < 0.3:
            return "len(%s)" % name
        return "%s[%s]" % (name, self.index(name, scope))

    def expr(self, want, scope, depth):
        """An expression whose value is an int (or bool) when `want` is
        "int", a float when "float", a bool when "bool"."""
        rng = self.rng
        if want in LIST_ELEMENT:
            return self.list_value(want, scope)
        if self.lists and want != "bool" and rng.random() < 0.2:
            read = self.element(want, scope)
            if read:
                return read
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
        args = [self.expr(t, scope, min(depth, 1)) for _, t in f.params]
        return "%s(%s)" % (f.name, ", ".join(args))

    # ---- statements ----------------------------------------------------
    def emit(self, indent, text):
        self.lines.append("    " * indent + text)

    def store(self, indent, scope):
        """A store into a list of the scope; False if there is none."""
        rng = self.rng
        names = [n for n, t in scope.items() if t in LIST_ELEMENT]
        if not names:
            return False
        name = rng.choice(names)
        kind = LIST_ELEMENT[scope[name]]
        target = "%s[%s]" % (name, self.index(name, scope))
        value = self.expr(kind, scope, 2)
        if kind == "int":
            value = "(%s) %% %d" % (value, rng.choice(MODULI))
        elif rng.random() < 0.3:
            self.emit(indent, "%s += %s" % (target, value))
            return True
        self.emit(indent, "%s = %s" % (target, value))
        return True

    def make_list(self, indent, scope):
        kind = self.rng.choice(["flist", "ilist"])
        name = "l%d" % len(scope)
        item = self.leaf(LIST_ELEMENT[kind], scope)
        self.emit(indent, "%s = [%s] * (%s %% 6 + 1)" % (
            name, item, self.leaf("int", scope)))
        scope[name] = kind

    def assign(self, indent, scope, in_loop):
        rng = self.rng
        if self.lists and rng.random() < 0.25:
            if rng.random() < 0.25 or not self.store(indent, scope):
                self.make_list(indent, scope)
            return
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
        if self.lists and rng.random() < 0.6:
            params.append(("a%d" % len(params),
                           rng.choice(["flist", "ilist"])))
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
    if kind in LIST_ELEMENT:
        items = []
        for _ in range(rng.randint(1, 5) if rng.random() < 0.9 else 0):
            roll = rng.random()
            if roll < 0.85:
                items.append(argument(rng, LIST_ELEMENT[kind]))
            elif roll < 0.95:
                items.append(argument(rng, rng.choice(["int", "float"])))
            else:
                items.append("True")
        return "[%s]" % ", ".join(items)
    if kind == "bool":
        return rng.choice(["True", "False"])
    if kind == "int":
        if rng.random() < 0.6:
            return repr(rng.choice(INT_EDGES))
        return repr(rng.randint(-10**6, 10**6))
    if rng.random() < 0.6:
        return rng.choice(FLOAT_EDGES)
    return repr(rng.uniform(-1e3, 1e3))


def batch(seed, programs, inputs=6, lists=False):
    """The source of one batch: `programs` programs from `seed` (with list
    code if `lists`)."""
    rng = random.Random(seed)
    out = ["# generated by tests/jit/program_generator.py, seed %d" % seed,
           "import math", ""]
    calls = []
    for p in range(programs):
        gen = Generator(rng, "p%d" % p, lists)
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
    sys.stdout.write(batch(int(sys.argv[1]), int(sys.argv[2]),
                           lists="--lists" in sys.argv[3:]))
