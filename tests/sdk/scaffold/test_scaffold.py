"""Projects written by `pyhooks new-plugin` (built once by
../scaffold_build.py, the sdk_scaffold fixture): each kind x language runs
under `pyhooks run -p NAME` on this interpreter, found through
PYHOOKS_PLUGIN_PATH, and its own test passes here; bad input to
new-plugin gets one line and writes nothing."""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

STAGE = Path(os.environ["PYHOOKS_STAGE"])
PYHOOKS = str(STAGE / "bin" / "pyhooks")
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
BUILT = Path(os.environ["PYHOOKS_BUILD_DIR"]) / "tests" / "sdk-scaffold"
COMBOS = [("observer", "c"), ("observer", "cxx"), ("evaluator", "c"),
          ("evaluator", "cxx")]

PROGRAM = """
def main(n):
    return n + 1
print(sum(main(n) for n in range(5)))
"""


def environment(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYHOOKS_PLUGIN_PATH", "PYHOOKS_CONFIG")}
    env.update(extra)
    return env


class ScaffoldedPlugins(unittest.TestCase):
    def test_runs_under_pyhooks_run(self):
        for kind, lang in COMBOS:
            name = "demo_%s_%s" % (kind, lang)
            with self.subTest(name), tempfile.TemporaryDirectory() as scratch:
                build = BUILT / name / "b"
                self.assertTrue((build / ("pyhooks_%s.so" % name)).is_file(),
                                "the sdk_scaffold fixture did not build %s"
                                % name)
                Path(scratch, "app.py").write_text(PROGRAM)
                done = subprocess.run(
                    [PYHOOKS, "run", "--python", PYTHON, "-p", name, "app.py"],
                    cwd=scratch, capture_output=True, text=True, timeout=60,
                    env=environment(PYHOOKS_PLUGIN_PATH=str(build)))
                self.assertEqual((done.returncode, done.stdout, done.stderr),
                                 (0, "15\n", ""))
                written = Path(scratch, name + ".txt").read_text().split()
                self.assertEqual(written[:2], ["main", "5"])
                if kind == "evaluator":
                    self.assertGreater(int(written[2]), 0)

    def test_own_test_passes_on_this_interpreter(self):
        for kind, lang in COMBOS:
            name = "demo_%s_%s" % (kind, lang)
            with self.subTest(name):
                project = BUILT / name
                done = subprocess.run(
                    [PYTHON, str(project / "tests" / ("test_%s.py" % name))],
                    capture_output=True, text=True, timeout=120,
                    env=environment(
                        PYTHONPATH=str(STAGE / "lib" / "pyhooks" / "python"),
                        PYHOOKS_PLUGIN_PATH=str(project / "b")))
                self.assertEqual(done.returncode, 0, done.stderr)
                self.assertIn("Ran 2 tests", done.stderr)


class BadInput(unittest.TestCase):
    def new_plugin(self, *args, cwd):
        return subprocess.run([PYHOOKS, "new-plugin", *args], cwd=cwd,
                              capture_output=True, text=True, timeout=30)

    def assert_refused(self, done, *fragments):
        self.assertEqual(done.returncode, 2, done)
        self.assertEqual(done.stdout, "")
        lines = done.stderr.splitlines()
        self.assertEqual(len(lines), 1, done.stderr)
        self.assertTrue(lines[0].startswith("pyhooks: error: "), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_bad_names(self):
        with tempfile.TemporaryDirectory() as scratch:
            for name, why in [("Counter", "lower-case letter"),
                              ("9lives", "lower-case letter"),
                              ("my-plugin", "'-' is not allowed"),
                              ("a" * 65, "longer than 64")]:
                with self.subTest(name):
                    self.assert_refused(self.new_plugin(name, cwd=scratch),
                                        "'%s' cannot name a plugin" % name,
                                        why)
            self.assertEqual(os.listdir(scratch), [])

    def test_existing_directory_that_is_not_empty(self):
        with tempfile.TemporaryDirectory() as scratch:
            Path(scratch, "counter").mkdir()
            Path(scratch, "counter", "notes.txt").write_text("mine\n")
            self.assert_refused(self.new_plugin("counter", cwd=scratch),
                                "counter exists and is not empty", "--dir")
            Path(scratch, "file").write_text("")
            self.assert_refused(
                self.new_plugin("counter", "--dir", "file", cwd=scratch),
                "file exists and is not a directory")
            self.assertEqual(os.listdir(Path(scratch, "counter")),
                             ["notes.txt"])

    def test_bad_kind_or_language(self):
        with tempfile.TemporaryDirectory() as scratch:
            for args in (["--kind", "tracer"], ["--lang", "rust"]):
                with self.subTest(args):
                    done = self.new_plugin("counter", *args, cwd=scratch)
                    self.assert_refused(done, args[1], "new-plugin --help")
            self.assertEqual(os.listdir(scratch), [])

    def test_empty_directory_is_used(self):
        with tempfile.TemporaryDirectory() as scratch:
            Path(scratch, "here").mkdir()
            done = self.new_plugin("counter", "--dir", "here", "--lang", "c++",
                                   cwd=scratch)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(
                sorted(p.relative_to(Path(scratch, "here")).as_posix()
                       for p in Path(scratch, "here").rglob("*")
                       if p.is_file()),
                ["CMakeLists.txt", "README.md", "counter.cc",
                 "tests/test_counter.py"])
            for path in Path(scratch, "here").rglob("*"):
                if path.is_file():
                    self.assertNotRegex(path.read_text(), r"@[A-Z_]+@", path)
            self.assertIn('.name = "counter"',
                          Path(scratch, "here", "counter.cc").read_text())


if __name__ == "__main__":
    unittest.main()
