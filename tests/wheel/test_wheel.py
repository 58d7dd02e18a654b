"""`pip install .` gives a working pyhooks: a wheel for the interpreter
running pip, built offline with build isolation by the in-tree backend
(tools/wheel/), installed into a fresh venv, whose `pyhooks` command,
`python -m pyhooks` and `import pyhooks` profile a program, and whose SDK
(the tree inside the package) builds and tests a `pyhooks new-plugin`
project.

The wheel packages the staged tree this test suite runs against
(`--config-settings stage=...`) rather than compiling pyhooks a second time:
what is tested is the packaging, pip's use of the backend and the installed
layout; the compile is `make build`'s."""

import base64
import hashlib
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON", sys.executable)
STAGE = os.environ["PYHOOKS_STAGE"]
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BACKEND = os.path.join(SOURCE, "tools", "wheel", "pyhooks_wheel.py")
PROGRAM = """\
import sys
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(18), sys.executable == sys.argv[1])
sys.exit(3)
"""


def run(args, **kwargs):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYHOOKS_", "PYTHON", "PIP_"))}
    return subprocess.run(args, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=240,
                          env=env, **kwargs)


class InstalledWheel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="pyhooks-wheel-test-")
        venv = os.path.join(cls.work, "venv")
        made = run([PYTHON, "-m", "venv", venv])
        if made.returncode != 0:
            shutil.rmtree(cls.work)
            raise unittest.SkipTest("%s cannot make a venv with pip: %s"
                                    % (PYTHON, made.stderr.strip()[-200:]))
        cls.python = os.path.join(venv, "bin", "python")
        cls.pyhooks = os.path.join(venv, "bin", "pyhooks")
        cls.install = run([cls.python, "-m", "pip", "install", "--no-index",
                           "--disable-pip-version-check",
                           "--config-settings", "stage=" + STAGE, SOURCE],
                          cwd=cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.work, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.install.returncode, 0,
                         self.install.stdout + self.install.stderr)

    def test_the_command_profiles_a_program_as_python_runs_it(self):
        script = os.path.join(self.work, "prog.py")
        with open(script, "w") as f:
            f.write(PROGRAM)
        plain = run([self.python, script, self.python], cwd=self.work)
        profile = os.path.join(self.work, "run.prof")
        # Not on PATH and no --python: the venv's interpreter is the default.
        under = run([self.pyhooks, "run", "-p", "profiler", "-o",
                     "profiler.output=" + profile, "-o", "profiler.summary=0",
                     script, self.python], cwd=self.work)
        self.assertEqual((under.returncode, under.stdout),
                         (plain.returncode, plain.stdout), under.stderr)
        self.assertEqual(plain.stdout, "2584 True\n")
        names = {func[2] for func in pstats.Stats(profile).stats}
        self.assertIn("fib", names)

    def test_python_m_pyhooks_is_the_same_command(self):
        listed = run([self.python, "-m", "pyhooks", "list"], cwd=self.work)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        site = run([self.python, "-c", "import sysconfig; "
                    "print(sysconfig.get_paths()['platlib'])"]).stdout.strip()
        self.assertIn(os.path.join(site, "pyhooks", "lib", "pyhooks",
                                   "plugins", "pyhooks_profiler.so"),
                      listed.stdout)

    def test_import_pyhooks_finds_the_shipped_plugins(self):
        found = run([self.python, "-c", "import pyhooks; "
                     "print(pyhooks.search_path()[-1]); "
                     "pyhooks.load('profiler', options={'output': '', "
                     "'collapsed': '', 'svg': '', 'summary': 0}); "
                     "print([p['name'] for p in pyhooks.chain()])"],
                    cwd=self.work)
        self.assertEqual(found.returncode, 0, found.stderr)
        plugin_dir, chain = found.stdout.splitlines()
        self.assertTrue(os.path.isfile(os.path.join(plugin_dir,
                                                    "pyhooks_tracer.so")))
        self.assertEqual(chain, "['profiler']")

    @unittest.skipIf(shutil.which("cmake") is None, "needs cmake")
    def test_the_sdk_in_the_wheel_builds_and_tests_a_new_plugin(self):
        # The tree is the package: its directory is the CMake prefix.
        prefix = run([self.python, "-c", "import os, pyhooks; print(os.path."
                      "dirname(os.path.realpath(pyhooks.__file__)))"]).stdout
        prefix = prefix.strip()
        made = run([self.pyhooks, "new-plugin", "wheelie"], cwd=self.work)
        self.assertEqual(made.returncode, 0, made.stderr)
        self.assertIn("CMAKE_PREFIX_PATH=" + prefix, made.stdout)
        project = os.path.join(self.work, "wheelie")
        for step in (["cmake", "-S", ".", "-B", "b",
                      "-DCMAKE_PREFIX_PATH=" + prefix,
                      "-DPYHOOKS_TEST_PYTHON=" + self.python],
                     ["cmake", "--build", "b"],
                     ["ctest", "--test-dir", "b", "--output-on-failure"]):
            done = run(step, cwd=project)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)


class WheelFile(unittest.TestCase):
    def test_the_wheel_is_tagged_for_this_interpreter_and_its_record_holds(self):
        with tempfile.TemporaryDirectory() as out:
            built = run([PYTHON, BACKEND, "--stage", STAGE, out])
            self.assertEqual(built.returncode, 0, built.stderr)
            path = built.stdout.strip()
            tag = run([PYTHON, "-c", "import sys; "
                       "print('cp%d%d' % sys.version_info[:2])"]).stdout.strip()
            self.assertTrue(os.path.basename(path).startswith(
                "pyhooks-%s-%s-" % (self.version(), tag)), path)
            with zipfile.ZipFile(path) as wheel:
                names = wheel.namelist()
                record = [n for n in names if n.endswith(".dist-info/RECORD")]
                self.assertEqual(len(record), 1)
                rows = wheel.read(record[0]).decode().splitlines()
                for row in rows:
                    name, digest, size = row.rsplit(",", 2)
                    if name == record[0]:
                        continue
                    data = wheel.read(name)
                    expected = base64.urlsafe_b64encode(
                        hashlib.sha256(data).digest()).rstrip(b"=").decode()
                    self.assertEqual((digest, int(size)),
                                     ("sha256=" + expected, len(data)), name)
                self.assertEqual(len(rows), len(names))
                cli = wheel.getinfo("pyhooks/bin/pyhooks")
                self.assertTrue((cli.external_attr >> 16) & 0o111)
                hosts = [n for n in names if n.startswith("pyhooks/_host")]
                self.assertEqual(len(hosts), 1, hosts)  # this interpreter's

    def test_a_tree_without_this_interpreters_host_module_is_one_line(self):
        with tempfile.TemporaryDirectory() as out:
            empty = os.path.join(out, "stage")
            os.makedirs(os.path.join(empty, "lib", "pyhooks", "python",
                                     "pyhooks"))
            built = run([PYTHON, BACKEND, "--stage", empty, out])
            self.assertEqual(built.returncode, 1)
            lines = built.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, built.stderr)
            self.assertIn("has no host module for this interpreter", lines[0])

    @staticmethod
    def version():
        with open(os.path.join(SOURCE, "CMakeLists.txt")) as f:
            for line in f:
                if line.startswith("project(pyhooks VERSION "):
                    return line.split()[2]
        raise AssertionError("no project version")


if __name__ == "__main__":
    unittest.main()
