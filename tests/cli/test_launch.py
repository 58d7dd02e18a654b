"""`pyhooks run` starts Python exactly as python would (issues 14 and 15).

Interpreter options pass through with their meaning, the program and its
children see plain python's resource limits, the plugins start whatever the
user's sitecustomize does, an early Ctrl-C exits as python does, the
interpreter probe survives a noisy environment, and a program that never
starts gets no plugins.
"""

import json
import os
import signal
import subprocess
import sys
import time
import unittest

from support import (PLUGIN_DIR, PROGRAMS, PYHOOKS, PYTHON, StageTest, TempDir,
                     environment, plain, pyhooks_run, run, write)

# The fault plugin refers to Python data, so it is named by its library.
FAULT = os.path.join(PLUGIN_DIR, "pyhooks_test_fault.so")

ACTIVE = ("import pyhooks\n"
          "print([p['name'] for p in pyhooks.chain() if p['state'] == 'active'])\n")

FLAGS = ("import json, sys\n"
         "print(json.dumps({'flags': [getattr(sys.flags, n) for n in dir(sys.flags)\n"
         "                            if not n.startswith('_') and n not in ('count', 'index')],\n"
         "                  'xoptions': sys._xoptions, 'warnoptions': sys.warnoptions,\n"
         "                  'optimize': __debug__, 'path': sys.path,\n"
         "                  'site': 'site' in sys.modules}, sort_keys=True))\n")


def pyhooks_lines(stderr):
    """What pyhooks itself printed: its lines all begin with "pyhooks: "."""
    return [line for line in stderr.splitlines() if line.startswith("pyhooks: ")]


class InterpreterOptions(StageTest):
    def test_every_option_has_its_meaning(self):
        cases = [["-X", "dev"], ["-Xdev"], ["-W", "error"], ["-Wignore::DeprecationWarning"],
                 ["-O"], ["-OO"], ["-u"], ["-I"], ["-E"], ["-S"], ["-B"], ["-b"], ["-bb"],
                 ["-q"], ["-s"], ["-d"] if "d" in sys.abiflags else ["-v"],
                 ["-X", "importtime"], ["-X", "utf8", "-X", "int_max_str_digits=1000"],
                 ["-I", "-S", "-W", "error", "-X", "dev", "-O"]]
        if sys.version_info >= (3, 11):
            cases.append(["-P"])
        for options in cases:
            with self.subTest(options=options):
                expected = plain(*options, "-c", FLAGS)
                actual = pyhooks_run(*options, "-c", FLAGS + ACTIVE)
                self.assertEqual(actual.returncode, 0, actual.stderr)
                lines = actual.stdout.splitlines()
                self.assertEqual(lines[-1], "['recorder']", "plugins not active")
                self.assertEqual(json.loads(lines[0]), json.loads(expected.stdout))
                self.assertEqual(pyhooks_lines(actual.stderr), [])
                if "-v" not in options and "importtime" not in options:
                    self.assertEqual(actual.stderr, expected.stderr)

    def test_options_with_a_script_and_interactive_mode(self):
        expected = plain("-O", "-W", "error", "show_state.py", "x")
        actual = pyhooks_run("-O", "-W", "error", "show_state.py", "x")
        self.assertEqual((actual.returncode, actual.stdout, actual.stderr),
                         (expected.returncode, expected.stdout, expected.stderr))
        code = "print('ran')\n"
        expected = plain("-i", "-q", "-c", code, stdin="print(6 * 7)\n")
        actual = pyhooks_run("-i", "-q", "-c", code, stdin="print(6 * 7)\n")
        self.assertEqual((actual.returncode, actual.stdout, actual.stderr),
                         (expected.returncode, expected.stdout, expected.stderr))

    def test_pyhooks_options_come_first(self):
        # After the first interpreter option everything is Python's: an -o
        # there is Python's to refuse, as `python -X dev -o x` does.
        expected = plain("-X", "dev", "-o", "x", "-c", "pass")
        actual = pyhooks_run("-X", "dev", "-o", "x", "-c", "pass")
        self.assertEqual(actual.returncode, expected.returncode)
        self.assertEqual(actual.stderr, expected.stderr)


class InheritedLimits(StageTest):
    PROGRAM = ("import json, resource, subprocess, sys\n"
               "limits = [resource.getrlimit(resource.RLIMIT_STACK)]\n"
               "child = subprocess.run([sys.executable, '-I', '-c', 'import resource; "
               "print(list(resource.getrlimit(resource.RLIMIT_STACK)))'],\n"
               "                       capture_output=True, text=True)\n"
               "limits.append(json.loads(child.stdout))\n"
               "shell = subprocess.run(['sh', '-c', 'ulimit -s'], capture_output=True, text=True)\n"
               "limits.append(shell.stdout.strip())\n"
               "print(json.dumps([list(limit) if isinstance(limit, tuple) else limit\n"
               "                  for limit in limits]))\n")

    def test_program_and_children_see_plain_pythons_stack_limit(self):
        for options in ((), ("--no-children",)):
            with self.subTest(options=options):
                expected = plain("-c", self.PROGRAM)
                actual = pyhooks_run(*options, "-c", self.PROGRAM,
                                     options=("-p", "passthrough_evaluator"))
                self.assertEqual(actual.returncode, 0, actual.stderr)
                self.assertEqual(json.loads(actual.stdout), json.loads(expected.stdout))
                self.assertNotIn("PYHOOKS_STACK_RLIMIT", actual.stdout)

    def test_child_recursion_as_deep_as_plain_python(self):
        # A child runs under its parent's restored limit, with the hook (the
        # passthrough evaluator) in it too; plain python's depth still holds.
        deep = ("import sys\nsys.setrecursionlimit(100000)\n"
                "def down(n):\n    try:\n        return down(n + 1)\n"
                "    except RecursionError:\n        return n\nprint(down(0))\n")
        program = ("import subprocess, sys\n"
                   "child = subprocess.run([sys.executable, '-c', %r], capture_output=True,\n"
                   "                       text=True)\n"
                   "print(child.returncode, child.stdout.strip(), child.stderr[-300:])\n" % deep)
        expected = plain("-c", program)
        actual = pyhooks_run("-c", program, options=("-p", "passthrough_evaluator"))
        self.assertEqual(actual.returncode, 0, actual.stderr)
        self.assertEqual(actual.stdout, expected.stdout)
        self.assertGreater(int(expected.stdout.split()[1]), 90000)

    def test_environment_has_no_stack_variable(self):
        code = "import os; print(sorted(k for k in os.environ if k.startswith('PYHOOKS_')))"
        expected = json.loads(plain("-c", code).stdout.replace("'", '"'))
        result = pyhooks_run("-c", code)
        self.assertEqual(json.loads(result.stdout.replace("'", '"')),
                         sorted(expected + ["PYHOOKS_RUN_SPEC"]), result.stderr)


class UserSitecustomize(StageTest):
    def run_with(self, source):
        with TempDir() as d:
            write(os.path.join(d, "sitecustomize.py"), source)
            env = environment(PYTHONPATH=d)
            return (plain("-c", "print('program')", env=env),
                    pyhooks_run("-c", "print('program')\n" + ACTIVE, env=env))

    def test_a_sitecustomize_that_raises(self):
        expected, actual = self.run_with("raise RuntimeError('broken site')\n")
        self.assertIn("Error in sitecustomize", expected.stderr)
        self.assertEqual(actual.stderr, expected.stderr)
        self.assertEqual(actual.stdout, "program\n['recorder']\n")

    def test_a_sitecustomize_that_shadows_everything(self):
        # A .pth file in site-packages puts a directory first on sys.path
        # before site imports sitecustomize: its sitecustomize is the one
        # found, whatever PYTHONPATH says.
        with TempDir() as d:
            venv = os.path.join(d, "venv")
            subprocess.run([PYTHON, "-m", "venv", "--without-pip", venv], check=True,
                           timeout=120)
            python = os.path.join(venv, "bin", "python")
            site_packages = subprocess.run(
                [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                capture_output=True, text=True, check=True).stdout.strip()
            shadow = os.path.join(d, "shadow")
            os.mkdir(shadow)
            write(os.path.join(shadow, "sitecustomize.py"),
                  "import sys\nsys.stderr.write('shadowing sitecustomize\\n')\n")
            write(os.path.join(site_packages, "shadow.pth"),
                  "import sys; sys.path.insert(0, %r)\n" % shadow)
            code = "import sys, sitecustomize; print(sitecustomize.__file__)\n"
            expected = run([python, "-c", code])
            actual = run([PYHOOKS, "run", "--python", python, "-p", "recorder",
                          "-c", code + ACTIVE])
        self.assertEqual(expected.stderr, "shadowing sitecustomize\n")
        self.assertEqual(actual.stderr, expected.stderr)
        self.assertEqual(actual.stdout, expected.stdout + "['recorder']\n")


class EarlyInterrupt(StageTest):
    COMMAND = [PYHOOKS, "run", "--python", PYTHON, "-p", FAULT,
               "-o", "test_fault.mode=slow_init", "-c", "print('started')"]

    def start(self):
        return subprocess.Popen(
            self.COMMAND, cwd=PROGRAMS, env=environment(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def test_sigint_while_the_plugins_start(self):
        # The fault plugin's slow_init mode says so on stderr, then sleeps
        # 400 ms in its init, which runs just before the program's first
        # line: each delay lands in pyhooks' own start-up. The process ends
        # as python ends on an unhandled KeyboardInterrupt (the line, death
        # by SIGINT), never with "Fatal Python error: init_import_site" (as
        # the previous sitecustomize-based start-up did); the program's line
        # never runs.
        for delay in (0.0, 0.1, 0.2):
            with self.subTest(delay=delay):
                process = self.start()
                try:
                    self.assertEqual(process.stderr.readline(), "fault: init sleeps\n")
                    time.sleep(delay)
                    process.send_signal(signal.SIGINT)
                    stdout, stderr = process.communicate(timeout=30)
                finally:
                    if process.poll() is None:
                        process.kill()
                        process.communicate()
                self.assertNotIn("Fatal Python error", stderr)
                self.assertEqual(process.returncode, -signal.SIGINT, stderr)
                self.assertEqual(stderr, "KeyboardInterrupt\n")
                self.assertEqual(stdout, "")

    def test_sigint_before_the_interpreter_starts(self):
        # Still in the launcher (reading the configuration, probing the
        # interpreter): it dies by SIGINT too, and nothing has run.
        process = self.start()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
        self.assertEqual((process.returncode, stdout), (-signal.SIGINT, ""), stderr)
        self.assertNotIn("Fatal Python error", stderr)


class Probe(StageTest):
    def test_noisy_environment(self):
        for variable in ("PYTHONVERBOSE", "PYTHONPROFILEIMPORTTIME", "PYTHONMALLOCSTATS"):
            with self.subTest(variable=variable):
                env = environment(**{variable: "1"})
                expected = plain("-c", "print('ok')", env=env)
                actual = pyhooks_run("-c", "print('ok')", env=env)
                # CPython 3.12.1 itself crashes at exit under
                # PYTHONMALLOCSTATS: the same status as plain python.
                self.assertEqual(actual.returncode, expected.returncode, actual.stderr[-2000:])
                self.assertEqual(actual.stdout, expected.stdout)
                self.assertEqual(pyhooks_lines(actual.stderr), [])

    def test_interpreter_that_prints_too_much(self):
        with TempDir() as d:
            fake = write(os.path.join(d, "python3"),
                         "#!/bin/sh\nhead -c 50000000 /dev/zero | tr '\\\\0' x\n")
            os.chmod(fake, 0o755)
            result = subprocess.run([PYHOOKS, "run", "--python", fake, "-c", "pass"],
                                    env=environment(), capture_output=True, text=True,
                                    timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr[:300])
        self.assertLess(len(result.stderr), 1000)
        self.assertIn("printed more than", result.stderr)

    def test_empty_python(self):
        result = subprocess.run([PYHOOKS, "run", "--python", "", "-c", "print(1)"],
                                env=environment(), capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr,
                         "pyhooks: error: --python: the value is empty; name an "
                         "interpreter, e.g. --python python3.12\n")


class ProgramThatNeverStarts(StageTest):
    def test_no_plugins_and_nothing_after_pythons_message(self):
        for args in (["webap.py"], ["-m", "no_such_module_here"],
                     ["-m", "no_such_package.sub"]):
            with TempDir() as d:
                with self.subTest(args=args):
                    # The profiler writes its default files into the
                    # working directory: it must stay empty.
                    expected = plain(*args, cwd=d)
                    actual = pyhooks_run(*args, cwd=d, options=("-p", "profiler"))
                    self.assertEqual(actual.returncode, expected.returncode)
                    self.assertEqual(actual.stderr, expected.stderr)
                    self.assertEqual(actual.stdout, "")
                    self.assertEqual(os.listdir(d), [])


class PluginThatFailsToStart(StageTest):
    def test_required_plugin_stops_the_run(self):
        result = pyhooks_run("-c", "print('started')",
                             options=("-p", FAULT, "-o", "test_fault.mode=init_error"))
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertTrue(result.stderr.startswith("pyhooks: error: "), result.stderr)
        self.assertIn("fault", result.stderr)

    def test_optional_plugin_is_a_warning(self):
        with TempDir() as d:
            config = write(os.path.join(d, "pyhooks.toml"),
                           "[plugin.fault]\nrequired = false\nlibrary = %r\n" % FAULT +
                           "[plugin.fault.options]\nmode = \"init_error\"\n")
            result = pyhooks_run("--config", config, "-c", "print('started')", options=())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "started\n")
        lines = pyhooks_lines(result.stderr)
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("pyhooks: warning: "), lines)


if __name__ == "__main__":
    unittest.main()
