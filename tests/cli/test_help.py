"""Help as users look for it (`pyhooks`, `pyhooks help [COMMAND]`), "did
you mean" for a mistyped command, flag, plugin or option name, and the bash
completion script (`pyhooks completion bash`), checked by running bash's
completion function on it."""

import os
import shutil
import subprocess
import unittest

from support import PYHOOKS, StageTest, TempDir, environment, pyhooks, write


class Help(StageTest):
    def test_no_arguments_and_help_print_the_help(self):
        expected = pyhooks("--help")
        self.assertEqual(expected.returncode, 0)
        for args in ([], ["help"]):
            with self.subTest(args=args):
                result = pyhooks(*args)
                self.assertEqual((result.returncode, result.stdout),
                                 (0, expected.stdout))
        self.assertIn("pyhooks help COMMAND", expected.stdout)
        self.assertIn("completion", expected.stdout)

    def test_help_for_a_command(self):
        for command in ("run", "check", "list", "info", "inspect", "completion"):
            with self.subTest(command=command):
                result = pyhooks("help", command)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stdout,
                                 pyhooks(command, "--help").stdout)
                self.assertIn("Examples:", result.stdout)

    def test_help_for_an_unknown_command(self):
        result = pyhooks("help", "chek")
        self.assertEqual(result.returncode, 2)
        self.assertIn("unknown command 'chek'; did you mean 'check'?",
                      result.stderr)


class DidYouMean(StageTest):
    def test_command(self):
        result = pyhooks("rnu", "app.py")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.splitlines(),
                         ["pyhooks: error: unknown command 'rnu'; did you mean "
                          "'run'? (commands: run, check, list, info, inspect, "
                          "new-plugin, completion); see 'pyhooks --help'"])

    def test_flag(self):
        result = pyhooks("check", "--confg", "x.toml")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--confg; did you mean '--config'?", result.stderr)
        result = pyhooks("run", "--no-childern", "x.py")
        self.assertIn("did you mean '--no-children'?", result.stderr)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)

    def test_plugin_name(self):
        result = pyhooks("check", "-p", "recordr")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no plugin named 'recordr' (did you mean 'recorder'?)",
                      result.stderr)

    def test_option_name(self):
        result = pyhooks("check", "-p", "recorder", "-o", "recorder.filenme=x")
        self.assertEqual(result.returncode, 2)
        self.assertIn("has no option 'filenme'; did you mean 'filename'?",
                      result.stderr)

    def test_nothing_close(self):
        result = pyhooks("zzzzzz")
        self.assertNotIn("did you mean", result.stderr)


@unittest.skipIf(shutil.which("bash") is None, "bash is not installed")
class Completion(StageTest):
    def complete(self, script, *words):
        """COMPREPLY for the command line `words` (the last one being
        completed), from bash running the script's completion function."""
        line = " ".join("'%s'" % w for w in words)
        program = (
            'source "$1"\n'
            "COMP_WORDS=(%s)\n"
            "COMP_CWORD=%d\n"
            "_pyhooks\n"
            'printf "%%s\\n" "${COMPREPLY[@]}"\n' % (line, len(words) - 1))
        done = subprocess.run(["bash", "-c", program, "bash", script],
                              capture_output=True, text=True, timeout=30,
                              env=environment())
        self.assertEqual(done.returncode, 0, done.stderr)
        return sorted(filter(None, done.stdout.splitlines()))

    def test_bash(self):
        result = pyhooks("completion", "bash")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("complete -o filenames -F _pyhooks pyhooks", result.stdout)
        with TempDir() as d:
            script = write(os.path.join(d, "pyhooks.bash"), result.stdout)
            pyhooks_exe = PYHOOKS
            self.assertEqual(self.complete(script, pyhooks_exe, "ch"), ["check"])
            self.assertIn("completion", self.complete(script, pyhooks_exe, ""))
            self.assertEqual(self.complete(script, pyhooks_exe, "run", "--no"),
                             ["--no-children"])
            self.assertIn("--config",
                          self.complete(script, pyhooks_exe, "check", "--"))
            # Plugin names come from `pyhooks list`.
            names = self.complete(script, pyhooks_exe, "run", "-p", "reco")
            self.assertIn("recorder", names)
            self.assertTrue(all(n.startswith("reco") for n in names), names)

    def test_unknown_shell(self):
        result = pyhooks("completion", "tcsh")
        self.assertEqual(result.returncode, 2)
        self.assertIn("tcsh", result.stderr)


if __name__ == "__main__":
    unittest.main()
