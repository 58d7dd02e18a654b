"""Every bad configuration gets one `file:line:col: error: ...` line and
exit status 2, from `pyhooks run` (before the program starts) and from
`pyhooks check`.

The cases are the files in bad_configs/ (tests/cli/bad_configs/README.md
describes the format); the unit test config_test.cc reads the same table.
"""

import os
import unittest

from support import BAD_CONFIGS, PLUGIN_DIR, StageTest, TempDir, pyhooks, pyhooks_run, write


def load_case(name):
    """(file name to write, TOML text, expected line, substrings)."""
    with open(os.path.join(BAD_CONFIGS, name)) as source:
        text = source.read()
    expected, contains = None, []
    for line in text.splitlines():
        if line.startswith("# expect: "):
            expected = line[len("# expect: "):]
        elif line.startswith("# contains: "):
            contains.append(line[len("# contains: "):])
    target = "pyproject.toml" if name.endswith(".pyproject.toml") else "pyhooks.toml"
    return target, text, target + ":" + expected, contains


class ConfigErrors(StageTest):
    def check_case(self, name):
        target, text, expected, contains = load_case(name)
        self.assertIsNotNone(expected, name + " has no '# expect:' line")
        with TempDir() as directory:
            directory = os.path.realpath(directory)
            write(os.path.join(directory, target), text.replace("{plugins}", PLUGIN_DIR))
            expected = expected.replace("{plugins}", PLUGIN_DIR).replace("{dir}", directory)
            for command in (pyhooks_run("-c", "print('ran')", options=(), cwd=directory),
                            pyhooks("check", cwd=directory)):
                self.assertEqual(command.returncode, 2, command.stderr)
                self.assertEqual(command.stdout, "", "nothing may run")
                self.assertEqual(command.stderr.count("\n"), 1, command.stderr)
                line = command.stderr.rstrip("\n")
                if expected.endswith("..."):
                    self.assertTrue(line.startswith(expected[:-3]), line)
                else:
                    self.assertEqual(line, expected)
                for part in contains:
                    self.assertIn(part, line)

    def test_table(self):
        cases = sorted(n for n in os.listdir(BAD_CONFIGS) if n.endswith(".toml"))
        self.assertGreaterEqual(len(cases), 30)
        for name in cases:
            with self.subTest(case=name):
                self.check_case(name)


if __name__ == "__main__":
    unittest.main()
