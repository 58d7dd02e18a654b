"""%load_ext pyhooks and the %pyhooks / %%pyhooks magics (docs/profiler.md,
"Under pytest and IPython"), run in a non-interactive IPython shell: the
cell runs under the plugins, which are unloaded (the profiler's files and
summary written) as it ends, also when it raises; a bad plugin or option is
a UsageError and the code does not run."""

import json
import os
import pstats
import subprocess
import tempfile
import unittest

from front_end_support import front_end

IPYTHON = front_end("IPython")

# Runs each cell given on stdin (a JSON list) in one InteractiveShell and
# prints one JSON line per cell: success, the error's type, the value, the
# plugins active after it, whether pyhooks-profile/ exists. A marker line on
# both streams before each cell lets the test split the output per cell.
SHELL = r'''
import json, os, sys
from IPython.core.interactiveshell import InteractiveShell
import pyhooks
shell = InteractiveShell.instance()
for number, cell in enumerate(json.load(sys.stdin)):
    for stream in (sys.stdout, sys.stderr):
        print("@@ cell %d" % number, file=stream, flush=True)
    result = shell.run_cell(cell)
    error = result.error_before_exec or result.error_in_exec
    active = [link["name"] for link in pyhooks.chain()
              if link["state"] == "active"]
    print(json.dumps({"ok": result.success, "value": repr(result.result),
                      "error": type(error).__name__ if error else None,
                      "active": active,
                      "profile_dir": os.path.exists("pyhooks-profile")}),
          flush=True)
'''

FIB = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
BAD = ("%%pyhooks -p profiler,nosuchplugin\nran = 1\n",
       "%%pyhooks -p profiler -o profiler.clock=fast\nran = 1\n",
       "%%pyhooks -p profiler -o clock=cpu\nran = 1\n",
       "%%pyhooks\nran = 1\n",
       "%%pyhooks -p profiler ran = 1\nran = 1\n")
CELLS = ("%load_ext pyhooks", "%load_ext pyhooks.ipython") + BAD + (
    "'ran' in dir()",
    "%%pyhooks -p profiler -o profiler.output=cell.prof "
    "-o profiler.summary=5\n" + FIB + "fib(12)\n",
    "%pyhooks -p profiler sorted(range(5), key=lambda v: -v)",
    "%%pyhooks -p profiler -o profiler.output=raised.prof\n"
    + FIB + "fib(5)\n1 / 0\n")
AFTER_BAD = 2 + len(BAD)
CELL, LINE, RAISES = AFTER_BAD + 1, AFTER_BAD + 2, AFTER_BAD + 3


def calls_of(path, name):
    stats = pstats.Stats(path)
    return sum(v[1] for k, v in stats.stats.items() if k[2] == name)


def per_cell(text):
    """{cell number: what was printed while it ran}."""
    cells = {}
    for chunk in text.split("@@ cell ")[1:]:
        number, _, printed = chunk.partition("\n")
        cells[int(number)] = printed
    return cells


@unittest.skipIf(IPYTHON.python is None, IPYTHON.why)
class IPythonMagic(unittest.TestCase):
    """One IPython process runs every cell (IPython takes seconds to start);
    each test checks some of them."""

    @classmethod
    def setUpClass(cls):
        scratch = tempfile.TemporaryDirectory(prefix="pyhooks-ipython-")
        cls.addClassCleanup(scratch.cleanup)
        cls.dir = scratch.name
        done = subprocess.run(
            [IPYTHON.python, "-c", IPYTHON.prologue() + SHELL],
            input=json.dumps(CELLS), cwd=cls.dir,
            env=IPYTHON.environment(cls.dir), capture_output=True, text=True,
            timeout=120)
        cls.done = done
        cls.results = [json.loads(line) for line in done.stdout.splitlines()
                       if line.startswith("{")]
        out, err = per_cell(done.stdout), per_cell(done.stderr)
        cls.printed = {n: out.get(n, "") + err.get(n, "")
                       for n in range(len(CELLS))}

    def setUp(self):
        self.assertEqual(self.done.returncode, 0, self.done.stderr)
        self.assertEqual(len(self.results), len(CELLS),
                         self.done.stdout + self.done.stderr)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def test_both_extension_names_load(self):
        self.assertEqual([r["ok"] for r in self.results[:2]], [True, True],
                         self.printed[0] + self.printed[1])

    def test_cell_magic_profiles_the_cell_and_prints_the_summary(self):
        result, printed = self.results[CELL], self.printed[CELL]
        self.assertTrue(result["ok"], printed)
        self.assertEqual(result["value"], "144")   # the last expression
        self.assertEqual(result["active"], [])      # unloaded after it
        self.assertEqual(calls_of(self.path("cell.prof"), "fib"), 465)
        self.assertIn("pyhooks profiler:", printed)   # the summary
        self.assertIn("fib (<ipython-input-", printed)
        self.assertIn("wrote cell.prof", printed)

    def test_line_magic_and_default_outputs(self):
        result = self.results[LINE]
        self.assertTrue(result["ok"], self.printed[LINE])
        self.assertEqual(result["value"], "[4, 3, 2, 1, 0]")
        # run-1.svg and run-1.speedscope.json are the cell magic's (it named
        # only its pstats file): the next free number.
        self.assertEqual(
            calls_of(self.path("pyhooks-profile", "run-2.prof"), "<lambda>"),
            5)

    def test_a_cell_that_raises_still_writes_its_profile(self):
        result = self.results[RAISES]
        self.assertEqual(result["error"], "ZeroDivisionError")
        self.assertEqual(result["active"], [])
        self.assertEqual(calls_of(self.path("raised.prof"), "fib"), 15)
        self.assertIn("ZeroDivisionError", self.printed[RAISES])  # traceback
        # pyhooks' own code is not in the cell's profile.
        self.assertFalse([key for key in pstats.Stats(
            self.path("raised.prof")).stats if "pyhooks" in key[0]])

    def test_bad_plugins_and_options_are_usage_errors_and_nothing_runs(self):
        first = 2
        for number, says in enumerate(("nosuchplugin", "clock=\"fast\"",
                                       "PLUGIN.KEY=VALUE", "which plugins?",
                                       "%pyhooks: the cell is the code"),
                                      first):
            with self.subTest(cell=CELLS[number]):
                self.assertEqual(self.results[number]["error"], "UsageError")
                self.assertEqual(self.results[number]["active"], [])
                self.assertFalse(self.results[number]["profile_dir"])
                self.assertIn(says, self.printed[number])
        self.assertEqual(self.results[AFTER_BAD]["value"], "False")


if __name__ == "__main__":
    unittest.main()
