"""A plugin built against the frozen ABI 1.0 header, as installed with this
tree (share/pyhooks/abi/plugin-1.0.h in place of include/pyhooks/plugin.h,
as a pyhooks 1.0 installation had it), with the pkg-config flags of the
installed SDK: it still loads and works in this host, under `pyhooks run -p`
and `pyhooks.load`, and declares ABI 1.0."""

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
FROZEN = STAGE / "share" / "pyhooks" / "abi" / "plugin-1.0.h"

PROGRAM = """
def main():
    return 1
for _ in range(7):
    main()
"""


def run(cmd, **kwargs):
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          **kwargs)
    if done.returncode != 0:
        raise AssertionError("%s failed (%d):\n%s\n%s" % (
            " ".join(map(str, cmd)), done.returncode, done.stdout, done.stderr))
    return done


@unittest.skipIf(shutil.which("pkg-config") is None, "needs pkg-config")
class FrozenHeaderPlugin(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = Path(tempfile.mkdtemp(prefix="pyhooks-frozen-"))
        old_include = cls.scratch / "include" / "pyhooks"
        old_include.mkdir(parents=True)
        shutil.copy(FROZEN, old_include / "plugin.h")
        env = dict(os.environ)
        env["PKG_CONFIG_PATH"] = str(STAGE / "lib" / "pkgconfig")
        flags = run(["pkg-config", "--cflags", "--libs", "pyhooks-plugin"],
                    env=env).stdout.split()
        cls.plugins = cls.scratch / "plugins"
        cls.plugins.mkdir()
        cls.library = cls.plugins / "pyhooks_tiny.so"
        # The 1.0 header's directory first: it is what the plugin sees.
        run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror",
             "-I%s" % (cls.scratch / "include"), "-o", str(cls.library),
             str(HERE / "outside" / "tiny.c"), *flags])
        (cls.scratch / "app.py").write_text(PROGRAM)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def test_the_frozen_header_is_the_1_0_one(self):
        text = FROZEN.read_text()
        self.assertIn("#define PYHOOKS_ABI_MINOR 0", text)
        self.assertNotIn("ABI 1.1", text)

    def test_declares_abi_1_0(self):
        done = run([str(STAGE / "bin" / "pyhooks"), "inspect", "--python",
                    PYTHON, str(self.library)])
        self.assertRegex(done.stdout, r"plugin ABI: 1\.0 ")

    def test_runs_under_pyhooks_run(self):
        env = dict(os.environ, PYHOOKS_PLUGIN_PATH=str(self.plugins))
        done = run([str(STAGE / "bin" / "pyhooks"), "run", "--python", PYTHON,
                    "-p", "tiny", "app.py"], cwd=str(self.scratch), env=env)
        self.assertEqual(done.stdout, "")
        match = re.search(r"tiny saw (\d+) starts", done.stderr)
        self.assertIsNotNone(match, done.stderr)
        self.assertGreaterEqual(int(match.group(1)), 7)

    def test_loads_with_pyhooks_load(self):
        done = run([PYTHON, "-c",
                    "import pyhooks; pyhooks.load(%r)\n%s"
                    "print([p['name'] for p in pyhooks.chain()])"
                    % (str(self.library), PROGRAM)], cwd=str(self.scratch))
        self.assertIn("tiny", done.stdout)
        self.assertRegex(done.stderr, r"tiny saw \d+ starts")


if __name__ == "__main__":
    unittest.main()
