"""`import pyhooks` on a CPython it does not support (3.9, 3.10) says which
versions it supports (issue 14), instead of failing as a circular import."""

import os
import subprocess
import unittest


class UnsupportedPython(unittest.TestCase):
    def old_pythons(self):
        root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
        found = []
        for minor in ("3.10", "3.9"):
            versions = os.path.join(root, "versions")
            for name in sorted(os.listdir(versions)) if os.path.isdir(versions) else []:
                candidate = os.path.join(versions, name, "bin", "python" + minor)
                if name.startswith(minor + ".") and os.access(candidate, os.X_OK):
                    found.append(candidate)
                    break
        return found

    def test_import_names_the_supported_versions(self):
        pythons = self.old_pythons()
        if not pythons:
            self.skipTest("no CPython 3.9 or 3.10 under pyenv")
        package = os.path.join(os.environ["PYHOOKS_STAGE"], "lib", "pyhooks", "python")
        for python in pythons:
            with self.subTest(python=python):
                result = subprocess.run([python, "-c", "import pyhooks"],
                                        env=dict(os.environ, PYTHONPATH=package),
                                        capture_output=True, text=True, timeout=60)
                self.assertEqual(result.returncode, 1)
                last = result.stderr.splitlines()[-1]
                self.assertTrue(last.startswith(
                    "ImportError: pyhooks supports CPython 3.11, 3.12 and 3.13; this is "
                    "CPython 3."), last)
                self.assertNotIn("circular", result.stderr)


if __name__ == "__main__":
    unittest.main()
