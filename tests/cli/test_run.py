"""`pyhooks run` behaves exactly like plain python, for every launching form.

Each test runs the same program both ways (the recorder test plugin active
under pyhooks) and compares what the program saw and did: argv, sys.path,
__main__, stdout, stderr (tracebacks byte for byte), stdin, exit status,
SIGINT.
"""

import json
import os
import signal
import subprocess
import time
import unittest

from support import (PROGRAMS, PYHOOKS, PYTHON, StageTest, TempDir, environment, plain,
                     pyhooks_run, write)


class RunTest(StageTest):
    def assertSameRun(self, args, stdin=None, env=None):
        """Runs `args` under plain python and pyhooks run; asserts that
        stdout, stderr and the exit status are identical."""
        expected = plain(*args, stdin=stdin, env=env)
        actual = pyhooks_run(*args, stdin=stdin, env=env)
        self.assertEqual(actual.stderr, expected.stderr, "stderr differs")
        self.assertEqual(actual.stdout, expected.stdout, "stdout differs")
        self.assertEqual(actual.returncode, expected.returncode, "exit status differs")
        return actual

    def assertSameState(self, args, stdin=None):
        result = self.assertSameRun(args, stdin=stdin)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)


class LaunchForms(RunTest):
    def test_script(self):
        state = self.assertSameState(["show_state.py", "a", "--flag", "-m", "x y"])
        self.assertEqual(state["argv"], ["show_state.py", "a", "--flag", "-m", "x y"])
        self.assertEqual(state["path"][0], PROGRAMS)
        self.assertEqual(state["name"], "__main__")
        self.assertEqual(state["pickle"], [True, "__main__"])

    def test_script_by_absolute_path(self):
        state = self.assertSameState([os.path.join(PROGRAMS, "show_state.py")])
        self.assertEqual(state["main_file"], os.path.join(PROGRAMS, "show_state.py"))

    def test_module(self):
        state = self.assertSameState(["-m", "demo_pkg.tool", "one", "--two"])
        self.assertEqual(state["argv"][1:], ["one", "--two"])
        self.assertEqual(state["spec"], "demo_pkg.tool")
        self.assertEqual(state["local_pickle"], "__main__")

    def test_code(self):
        code = "import json, show_state; print(json.dumps(show_state.state(), sort_keys=True))"
        state = self.assertSameState(["-c", code, "arg"])
        self.assertEqual(state["argv"], ["-c", "arg"])
        self.assertEqual(state["path"][0], "")

    def test_stdin_dash(self):
        with open(os.path.join(PROGRAMS, "show_state.py")) as source:
            program = source.read()
        state = self.assertSameState(["-", "x"], stdin=program)
        self.assertEqual(state["argv"], ["-", "x"])

    def test_stdin_without_arguments(self):
        result = self.assertSameRun([], stdin="import sys\nprint('from stdin', sys.argv)\n")
        self.assertEqual(result.stdout, "from stdin ['']\n")

    def test_program_reads_stdin(self):
        text = "first line\nsecond line\nno newline"
        result = self.assertSameRun(["reads_stdin.py"], stdin=text)
        self.assertEqual(result.stdout, text.upper() + "lines=2 chars=%d\n" % len(text))

    def test_arguments_that_look_like_pyhooks_options(self):
        state = self.assertSameState(["show_state.py", "--python", "x", "-p", "y", "--help"])
        self.assertEqual(state["argv"][1:], ["--python", "x", "-p", "y", "--help"])

    def test_double_dash_before_script(self):
        state = self.assertSameState(["--", "show_state.py", "z"])
        self.assertEqual(state["argv"], ["show_state.py", "z"])
        self.assertEqual(state["orig_argv"][1:], ["--", "show_state.py", "z"])

    def test_user_pythonpath_and_sitecustomize(self):
        """The user's PYTHONPATH keeps its order (even when it names the
        pyhooks package directory too) and their sitecustomize still runs."""
        package = os.path.join(os.environ["PYHOOKS_STAGE"], "lib", "pyhooks", "python")
        with TempDir() as d:
            write(os.path.join(d, "sitecustomize.py"),
                  "import sys\nsys.stderr.write('user sitecustomize\\n')\n")
            for pythonpath in (d, os.pathsep.join([d, package, d, ""])):
                with self.subTest(PYTHONPATH=pythonpath):
                    env = environment(PYTHONPATH=pythonpath)
                    result = self.assertSameRun(["show_state.py"], env=env)
                    self.assertEqual(result.stderr, "user sitecustomize\n")
                    state = json.loads(result.stdout)
                    self.assertEqual(state["sitecustomize"], os.path.join(d, "sitecustomize.py"))
                    self.assertEqual(state["path"][1], d)

    def test_plugins_active_from_the_first_line(self):
        script = os.path.join(PROGRAMS, "first_line.py")
        result = pyhooks_run(
            "first_line.py", options=("-p", "recorder", "-o", "recorder.filename=" + script))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        events = result.stdout.splitlines()
        self.assertEqual(events[0], "start <module>")
        self.assertIn("start greet", events)


class AuditHooks(RunTest):
    def test_the_programs_audit_hook_sees_nothing_from_pyhooks(self):
        # On 3.12+ the recorder observes through sys.monitoring; releasing
        # the tool at exit must not raise sys.monitoring audit events.
        code = ("import sys\n"
                "def hook(event, args):\n"
                "    if event.startswith('sys.'):\n"
                "        print(event)\n"
                "sys.addaudithook(hook)\n"
                "def work(n):\n"
                "    return sum(range(n))\n"
                "print(work(10))\n")
        result = self.assertSameRun(["-c", code])
        self.assertEqual(result.stdout, "45\n")


class Tracebacks(RunTest):
    def test_uncaught_exception(self):
        result = self.assertSameRun(["raises.py", "1", "two"])
        self.assertEqual(result.returncode, 1)
        self.assertIn("The above exception was the direct cause", result.stderr)
        self.assertTrue(result.stderr.endswith(
            "RuntimeError: cannot add up ['1', 'two']\n"), result.stderr)
        self.assertNotIn("pyhooks:", result.stderr)  # nothing pyhooks printed
        self.assertNotIn("_pyhooks_boot", result.stderr)  # no start-up frames

    def test_uncaught_exception_in_module(self):
        result = self.assertSameRun(["-m", "demo_pkg.tool", "fail"])
        self.assertEqual(result.returncode, 1)
        self.assertIn('File "<frozen runpy>"', result.stderr)
        self.assertNotIn("pyhooks:", result.stderr)
        self.assertNotIn("_pyhooks_boot", result.stderr)

    def test_syntax_error_in_code(self):
        result = self.assertSameRun(["-c", "x = (1,"])
        self.assertEqual(result.returncode, 1)
        self.assertIn("SyntaxError", result.stderr)

    def test_missing_script(self):
        result = self.assertSameRun(["no_such_script.py"])
        self.assertEqual(result.returncode, 2)

    def test_missing_module(self):
        result = self.assertSameRun(["-m", "no_such_module_here"])
        self.assertEqual(result.returncode, 1)


class ExitStatus(RunTest):
    def test_exit_forms(self):
        cases = [
            (["code", "0"], 0), (["code", "1"], 1), (["code", "3"], 3),
            (["message", "bye bye"], 1), (["none"], 0), (["raise", "k"], 1),
            (["thread", "5"], 0), (["os_exit", "4"], 4),
            (["signal", str(int(signal.SIGTERM))], -signal.SIGTERM),
        ]
        for args, status in cases:
            with self.subTest(args=args):
                result = self.assertSameRun(["exits.py", *args])
                self.assertEqual(result.returncode, status, result.stderr)

    def test_every_form(self):
        with open(os.path.join(PROGRAMS, "demo_pkg", "exit_with.py")) as source:
            program = source.read()
        forms = {
            "script": (["demo_pkg/exit_with.py"], None),
            "module": (["-m", "demo_pkg.exit_with"], None),
            "code": (["-c", program], None),
            "stdin": (["-"], program),
        }
        for form, (args, stdin) in forms.items():
            for how, status in (("0", 0), ("3", 3), ("raise", 1)):
                with self.subTest(form=form, how=how):
                    result = self.assertSameRun([*args, how], stdin=stdin)
                    self.assertEqual(result.returncode, status)
                    if how == "raise":
                        self.assertIn("LookupError: raised from __main__", result.stderr)

    def test_code_exits_3(self):
        result = self.assertSameRun(["-c", "import sys; sys.exit(3)"])
        self.assertEqual(result.returncode, 3)

    def test_system_exit_message_goes_to_stderr(self):
        result = self.assertSameRun(["-c", "raise SystemExit('stopped: reason')"])
        self.assertEqual((result.returncode, result.stderr), (1, "stopped: reason\n"))


def wait_until_sleeping(pid):
    """Waits until `pid` is inside time.sleep(), so that both runs are
    interrupted at the same line (not between print() and sleep())."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/wchan" % pid) as wchan:
                where = wchan.read().strip()
        except OSError:
            break
        if "sleep" in where:
            return
        if where in ("", "0"):  # hidden by the kernel
            break
        time.sleep(0.01)
    time.sleep(0.5)  # no usable wchan: give it time instead


class Interrupt(RunTest):
    def interrupted(self, command):
        process = subprocess.Popen(
            command, cwd=PROGRAMS, env=environment(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(process.stdout.readline(), "ready\n")
            wait_until_sleeping(process.pid)
            process.send_signal(signal.SIGINT)  # the python process itself
            stdout, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        return process.returncode, stdout, stderr

    def test_sigint(self):
        for args in (["wait_for_sigint.py"], ["-m", "wait_for_sigint"]):
            with self.subTest(args=args):
                expected = self.interrupted([PYTHON, *args])
                actual = self.interrupted(
                    [PYHOOKS, "run", "--python", PYTHON, "-p", "recorder", *args])
                self.assertEqual(actual, expected)
                self.assertEqual(actual[0], -signal.SIGINT)
                self.assertTrue(actual[2].endswith("KeyboardInterrupt\n"), actual[2])


if __name__ == "__main__":
    unittest.main()
