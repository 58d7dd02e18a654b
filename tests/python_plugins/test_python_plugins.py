"""Observers written in Python, run by the bridge plugin (pyhooks_python.so;
docs/internals/python-bridge.md): the events and their order are the C
recorder's, only the methods a class defines are subscribed, options reach
the class, pyhooks.DISABLE disables the code, a raising method is contained,
the methods' own frames are not reported (HOST-5), and bad `python =` values
stop `pyhooks run` and `pyhooks check` with one line naming the key."""

import os
import re
import subprocess
import sys
import tempfile
import textwrap
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON", sys.executable)
PYHOOKS = os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks")
C_CALLS = sys.version_info >= (3, 12)

# Calls, a generator resumed and finished, an exception through two frames.
WORKLOAD = """
def leaf(x):
    return x + 1

def gen(n):
    for i in range(n):
        yield leaf(i)

def fails():
    raise KeyError("k")

def catches():
    try:
        fails()
    except KeyError:
        return "caught"

def main():
    total = sum(gen(2))
    return total, catches()

print(main())
"""

EXPECTED = ["start main", "start gen", "start leaf", "return leaf",
            "yield gen", "resume gen", "start leaf", "return leaf",
            "yield gen", "resume gen", "return gen", "start catches",
            "start fails", "unwind fails", "return catches", "return main"]


def with_observers(source, env=None):
    """run_python with this directory importable (observers.py)."""
    path = os.pathsep.join([HERE, os.environ.get("PYTHONPATH", "")])
    return run_python(source, env=dict(env or {}, PYTHONPATH=path))


def program(setup, workload=WORKLOAD, after="""
import observers
print(observers.EVENTS)
"""):
    return "import pyhooks\n" + textwrap.dedent(setup) + workload + after


class InProcess(unittest.TestCase):
    """pyhooks.load_python() in the program itself."""

    def events(self, setup, workload=WORKLOAD):
        result = with_observers(program(setup, workload))
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        return lines[:-1], eval(lines[-1]), result.stderr

    def test_events_and_order_are_the_c_recorders(self):
        output, events, stderr = self.events(f"""
            pyhooks.load({plugin("recorder")!r}, name="recorder",
                         options={{"filename": "<string>"}})
            pyhooks.load_python("observers:Recorder", name="py")
            """)
        self.assertEqual(output, ["(3, 'caught')"])
        self.assertEqual(stderr, "")
        self.assertEqual(events, EXPECTED)
        # the C recorder saw the same, with its own log
        result = with_observers(program(f"""
            pyhooks.load({plugin("recorder")!r}, name="recorder",
                         options={{"filename": "<string>"}})
            pyhooks.load_python("observers:Recorder", name="py")
            """, after=f"""
from pyhooks_testing import take_events
import observers
print(observers.EVENTS)
print(take_events("recorder"))
"""))
        self.assertEqual(result.returncode, 0, result.stderr)
        *_, python_events, c_events = result.stdout.splitlines()
        self.assertEqual(eval(python_events), eval(c_events))

    def test_values_and_exceptions_reach_the_exit_methods(self):
        _, events, _ = self.events("""
            pyhooks.load_python("observers:Values")
            """)
        self.assertIn("return leaf 1", events)
        self.assertIn("yield gen 1", events)
        self.assertIn("unwind fails KeyError('k')", events)
        self.assertIn("return main (3, 'caught')", events)

    def test_only_the_methods_the_class_defines_are_subscribed(self):
        result = with_observers(program("""
            pyhooks.load_python("observers:StartsOnly", name="starts")
            """, after="""
import observers
print(observers.EVENTS)
print(pyhooks.counters()["plugins"]["starts"]["events"])
"""))
        self.assertEqual(result.returncode, 0, result.stderr)
        events, delivered = result.stdout.splitlines()[-2:]
        self.assertEqual(eval(events), [e for e in EXPECTED
                                        if e.startswith("start ")])
        delivered = eval(delivered)
        self.assertGreaterEqual(delivered.pop("start"), 5)
        self.assertEqual(set(delivered.values()), {0}, delivered)

    def test_options_reach_the_class_as_keyword_arguments(self):
        _, events, _ = self.events("""
            pyhooks.load_python("observers:Options", options={
                "label": "x", "limit": 3, "ratio": 0.5, "on": True,
                "names": ["a", "b"]})
            """)
        self.assertEqual(events, [[("label", "str", "x"),
                                   ("limit", "int", 3),
                                   ("names", "list", ["a", "b"]),
                                   ("on", "bool", True),
                                   ("ratio", "float", 0.5)]])

    def test_disable_stops_the_events_of_that_code(self):
        _, events, _ = self.events("""
            pyhooks.load_python("observers:Recorder",
                                options={"disable": ["leaf"]})
            """)
        # leaf's first START is answered DISABLE: no exit for it, and no
        # event of leaf afterwards; the other code is unaffected
        expected = [e for e in EXPECTED if e != "return leaf"]
        del expected[len(expected) - expected[::-1].index("start leaf") - 1]
        self.assertEqual(events, expected)

    def test_a_raising_method_is_reported_once_and_the_plugin_dropped(self):
        output, events, stderr = self.events("""
            pyhooks.load_python("observers:RaisesOnReturn", name="raiser")
            """)
        self.assertEqual(output, ["(3, 'caught')"])  # the program goes on
        lines = stderr.splitlines()
        self.assertEqual(len(lines), 1, stderr)
        self.assertIn("plugin 'raiser' failed in on_event(return)", lines[0])
        self.assertIn("observers:RaisesOnReturn.on_return() raised "
                      "ValueError: boom", lines[0])
        self.assertIn("it is disabled for the rest of this run", lines[0])
        # two returns recorded, then nothing more
        self.assertEqual(events, EXPECTED[:EXPECTED.index("return gen")])

    def test_raising_during_the_programs_exception_leaves_it_alone(self):
        source = """
def f():
    raise KeyError("program")
try:
    f()
except KeyError as error:
    print("caught", repr(error), error.__context__)
def g():
    raise ValueError("uncaught")
g()
"""
        plain = run_python(source)
        result = with_observers(
            "import pyhooks\n"
            "pyhooks.load_python('observers:RaisesOnUnwind', name='u')\n"
            + source)
        self.assertEqual(result.returncode, plain.returncode)
        self.assertEqual(result.stdout, plain.stdout)
        first, *traceback = result.stderr.splitlines()
        self.assertIn("plugin 'u' failed in on_event(unwind) of 'f'", first)
        self.assertIn("RuntimeError: observer broke", first)
        # the traceback is plain python's, one line further down
        self.assertEqual(traceback[-1], "ValueError: uncaught")
        self.assertEqual(len(traceback), len(plain.stderr.splitlines()))

    def test_frames_run_by_the_methods_are_not_reported(self):
        _, events, _ = self.events("""
            pyhooks.load_python("observers:SelfCalls")
            """)
        names = {event.split(" ", 1)[1] for event in events}
        self.assertIn("leaf", names)
        self.assertFalse(names & {"_helper", "SelfCalls.on_start",
                                  "SelfCalls.on_return"}, names)

    def test_thread_id_is_threading_get_ident(self):
        _, events, _ = self.events("""
            pyhooks.load_python("observers:Threads")
            """, workload="""
import threading
seen = []
def in_thread():
    seen.append(threading.get_ident())
t = threading.Thread(target=in_thread)
t.start()
t.join()
print(seen)
""")
        self.assertEqual(len(events), 1)

    def test_shutdown_runs_at_exit(self):
        result = with_observers(program("""
            pyhooks.load_python("observers:ShutdownWrites")
            """, after=""))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[-1], "observer shut down")

    @unittest.skipUnless(C_CALLS, "C-call events need CPython 3.12+")
    def test_c_call_methods_receive_the_callable(self):
        _, events, _ = self.events("""
            pyhooks.load_python("observers:CCalls")
            """, workload="""
def work():
    n = len([1, 2])
    try:
        divmod(1, 0)
    except ZeroDivisionError:
        pass
    return n
work()
""")
        events = [e for e in events if " work " in e]
        self.assertEqual(events, ["c_call work len", "c_return work len",
                                  "c_call work divmod", "c_raise work divmod"])

    @unittest.skipIf(C_CALLS, "3.11 has no C-call events")
    def test_c_call_methods_are_refused_on_311(self):
        result = with_observers(program("""
            pyhooks.load_python("observers:CCalls")
            """))
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("this CPython delivers no C-call events (they need "
                      "3.12+)", result.stderr)

    def test_bad_classes_raise_plugin_error_naming_the_problem(self):
        cases = {
            "nocolon": "has no ':'",
            "no_such_module:X": "cannot import module 'no_such_module' "
                                "(ModuleNotFoundError",
            "observers:Missing": "'observers' has no attribute 'Missing'",
            "observers:not_a_class": "'observers:not_a_class' is not a "
                                     "class (it is a function)",
            "observers:NoMethods": "the class defines none of on_start",
            "observers:BadInit": "making the instance with its options "
                                 "raised RuntimeError: cannot start",
        }
        for target, expected in cases.items():
            with self.subTest(target=target):
                result = with_observers(f"""
import pyhooks
try:
    pyhooks.load_python({target!r})
except pyhooks.PluginError as error:
    print(error)
print(pyhooks.chain())
""")
                self.assertEqual(result.returncode, 0, result.stderr)
                message, chain = result.stdout.splitlines()
                self.assertIn("pyhooks.load_python(%r)" % target
                              if target != "nocolon" else "nocolon", message)
                self.assertIn(expected, message)
                self.assertNotIn("'active'", chain)


def pyhooks_command(*args, cwd, env=None):
    environment = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", ""))
    for name in ("PYHOOKS_RUN_SPEC", "PYHOOKS_CONFIG", "PYHOOKS_ENABLE",
                 "PYHOOKS_DISABLE"):
        environment.pop(name, None)
    environment["PYHOOKS_PYTHON"] = PYTHON  # check's interpreter, as run's
    environment.update(env or {})
    return subprocess.run([PYHOOKS, *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60)


class FromConfiguration(unittest.TestCase):
    """[plugin.NAME] python = "module:Class" under `pyhooks run`."""

    def setUp(self):
        self._dir = tempfile.TemporaryDirectory(prefix="pyhooks-bridge-")
        self.dir = self._dir.name
        with open(os.path.join(HERE, "observers.py")) as source:
            self.write("observers.py", source.read())
        self.write("app.py", WORKLOAD + textwrap.dedent("""
            import observers
            print(observers.EVENTS)
            """))

    def tearDown(self):
        self._dir.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.dir, name), "w") as out:
            out.write(textwrap.dedent(text))

    def run_app(self, *options):
        return pyhooks_command("run", "--python", PYTHON, *options, "app.py",
                               cwd=self.dir)

    def test_configured_python_plugin_runs_with_its_options(self):
        self.write("pyhooks.toml", f"""
            [plugin.trace]
            python = "observers:Recorder"
            [plugin.trace.options]
            filename = "{os.path.join(self.dir, 'app.py')}"
            disable = ["leaf"]
            """)
        result = self.run_app()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        output, events = result.stdout.splitlines()
        self.assertEqual(output, "(3, 'caught')")
        expected = [e for e in EXPECTED if e != "return leaf"]
        del expected[len(expected) - expected[::-1].index("start leaf") - 1]
        self.assertEqual(eval(events), ["start <module>"] + expected)

    def test_pyproject_table_and_two_instances(self):
        self.write("pyproject.toml", f"""
            [tool.pyhooks.plugin.first]
            python = "observers:StartsOnly"
            [tool.pyhooks.plugin.second]
            python = "observers:Options"
            [tool.pyhooks.plugin.second.options]
            level = 2
            """)
        result = pyhooks_command("check", cwd=self.dir)
        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
        self.assertIn("first", result.stdout)
        self.assertRegex(result.stdout, r"python: +observers:StartsOnly "
                                        r"\(run by the bridge plugin 'python'\)")
        result = self.run_app("-o", "second.name=x")
        self.assertEqual(result.returncode, 0, result.stderr)
        events = eval(result.stdout.splitlines()[-1])
        self.assertIn([("level", "int", 2), ("name", "str", "x")], events)

    def test_bad_python_values_stop_before_the_program(self):
        cases = {
            '"nocolon"': "3:10: error: 'plugin.probe.python' = \"nocolon\" "
                         "has no ':'",
            '":Class"': "does not start with a module name",
            '"observers:"': "does not name a class",
            '"no_such_module:Probe"': "plugin.probe.python = "
                                      "\"no_such_module:Probe\": cannot import "
                                      "module 'no_such_module'",
            '"observers:Missing"': "plugin.probe.python = \"observers:"
                                   "Missing\": 'observers' has no attribute "
                                   "'Missing'",
            '"observers:not_a_class"': "is not a class (it is a function)",
        }
        for value, expected in cases.items():
            with self.subTest(value=value):
                self.write("pyhooks.toml", f"""
                    [plugin.probe]
                    python = {value}
                    """)
                for command in (["check"], ["run", "--python", PYTHON,
                                            "app.py"]):
                    result = pyhooks_command(*command, cwd=self.dir)
                    self.assertEqual(result.returncode, 2, result.stdout)
                    lines = result.stderr.splitlines()
                    self.assertEqual(len(lines), 1, result.stderr)
                    self.assertIn("pyhooks.toml:", lines[0])
                    self.assertIn(expected, lines[0])
                    self.assertNotIn("(3, 'caught')", result.stdout)

    def test_the_guides_example_runs_as_documented(self):
        guide = os.path.join(os.environ["PYHOOKS_SOURCE_DIR"], "docs",
                             "plugin-authoring.md")
        with open(guide) as text:
            blocks = re.findall(r"```(?:python|toml)\n(.*?)```", text.read(),
                                re.S)
        module = next(b for b in blocks if b.startswith("# call_counter.py"))
        config = next(b for b in blocks if "call_counter:CallCounter" in b
                      and b.startswith("# pyhooks.toml"))
        self.write("call_counter.py", module)
        self.write("pyhooks.toml", config)
        self.write("app.py", """
            def often():
                pass
            def sometimes():
                pass
            for i in range(10):
                often()
                if i % 2:
                    sometimes()
            print("done")
            """)
        result = self.run_app()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")
        lines = [line.split() for line in result.stdout.splitlines()]
        self.assertEqual(lines[0], ["done"])
        # top = 3 of app.py's code (the rest answered DISABLE)
        self.assertEqual(lines[1:], [["10", "often"], ["5", "sometimes"],
                                     ["1", "<module>"]])

    def test_python_and_library_together_are_refused(self):
        self.write("pyhooks.toml", """
            [plugin.probe]
            library = "x.so"
            python = "observers:Recorder"
            """)
        result = pyhooks_command("check", cwd=self.dir)
        self.assertEqual(result.returncode, 2)
        self.assertIn("pyhooks.toml:4:10: error: 'plugin.probe.python' and "
                      "'library' cannot both be set", result.stderr)


if __name__ == "__main__":
    unittest.main()
