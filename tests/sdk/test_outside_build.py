"""An outside author's plugin built from the installed tree only: a CMake
project using find_package(pyhooks CONFIG) and pyhooks_add_plugin() (a C++
plugin on pyhooks/plugin.hpp), and a C plugin compiled with the flags of
pyhooks-plugin.pc, both loaded and run by this interpreter."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
STAGE = Path(os.environ["PYHOOKS_STAGE"])
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable

PROGRAM = """
def main():
    return 1
for _ in range(7):
    main()
"""


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                          **kwargs)
    if done.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (
            " ".join(map(str, cmd)), done.returncode, done.stdout, done.stderr))
    return done


class OutsideBuild(unittest.TestCase):
    def setUp(self):
        self.scratch = Path(tempfile.mkdtemp(prefix="pyhooks-sdk-"))
        self.addCleanup(shutil.rmtree, self.scratch, ignore_errors=True)
        # A copy: the project must not find anything beside it in the tree.
        self.project = self.scratch / "project"
        shutil.copytree(HERE / "outside", self.project)
        (self.scratch / "app.py").write_text(PROGRAM)

    @unittest.skipIf(shutil.which("cmake") is None, "needs cmake")
    def test_find_package_and_pyhooks_add_plugin(self):
        build = self.scratch / "build"
        plugins = self.scratch / "plugins"
        env = dict(os.environ)
        env.pop("CMAKE_PREFIX_PATH", None)
        run(["cmake", "-S", str(self.project), "-B", str(build),
             "-DCMAKE_PREFIX_PATH=%s" % STAGE,
             "-DPYHOOKS_PLUGIN_INSTALL_DIR=%s" % plugins], env=env)
        run(["cmake", "--build", str(build)], env=env)
        run(["cmake", "--install", str(build)], env=env)
        installed = plugins / "pyhooks_start_counter.so"
        self.assertTrue(installed.exists(), sorted(os.listdir(self.scratch)))
        # Hidden visibility: the entry point is the one dynamic export.
        symbols = run(["nm", "-D", "--defined-only", str(installed)]).stdout
        exported = [line.split()[-1] for line in symbols.splitlines()
                    if line.split()[1:2] == ["T"]]
        self.assertEqual(exported, ["pyhooks_plugin_entry"], symbols)
        # Found by name on the plugin path, options from the command line.
        out = self.scratch / "count.txt"
        env["PYHOOKS_PLUGIN_PATH"] = str(plugins)
        done = run([str(STAGE / "bin" / "pyhooks"), "run", "--python", PYTHON,
                    "-p", "start_counter", "-o",
                    "start_counter.out=%s" % out, "app.py"],
                   cwd=str(self.scratch), env=env)
        self.assertEqual(done.stdout, "")
        self.assertEqual(out.read_text(), "main 7\n")

    @unittest.skipIf(shutil.which("pkg-config") is None, "needs pkg-config")
    def test_pkg_config_flags(self):
        env = dict(os.environ)
        env["PKG_CONFIG_PATH"] = str(STAGE / "lib" / "pkgconfig")
        flags = run(["pkg-config", "--cflags", "--libs", "pyhooks-plugin"],
                    env=env).stdout.split()
        plugin_dir = run(["pkg-config", "--variable=plugindir",
                          "pyhooks-plugin"], env=env).stdout.strip()
        self.assertEqual(Path(plugin_dir).resolve(),
                         (STAGE / "lib" / "pyhooks" / "plugins").resolve())
        library = self.scratch / "pyhooks_tiny.so"
        run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o",
             str(library), str(self.project / "tiny.c"), *flags])
        done = run([PYTHON, "-c",
                    "import pyhooks; pyhooks.load(%r)\n%s" % (str(library),
                                                             PROGRAM)],
                   cwd=str(self.scratch), env=env)
        # Every start after load: main's 7, and whatever shutdown runs.
        match = re.search(r"tiny saw (\d+) starts", done.stderr)
        self.assertIsNotNone(match, done.stderr)
        self.assertGreaterEqual(int(match.group(1)), 7)


if __name__ == "__main__":
    unittest.main()
