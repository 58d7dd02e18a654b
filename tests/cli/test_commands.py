"""`pyhooks list`, `inspect`, `check`, `info`, `--help`, `--version`, and the
errors `pyhooks run` reports before starting anything."""

import glob
import os
import re
import shutil
import stat
import unittest

from support import (PLUGIN_DIR, PYHOOKS, PYTHON, RECORDER, STAGE, StageTest, TempDir,
                     environment, pyhooks, pyhooks_run, run, write)


def probe(expression):
    return run([PYTHON, "-c", "import sys, sysconfig; print(%s)" % expression]).stdout.strip()


def fake_python(directory, version):
    """An executable that answers pyhooks's interpreter probe like CPython
    `version` would (and fails if actually used to run a program)."""
    major, minor, micro = version.split(".")
    script = write(os.path.join(directory, "python" + major + "." + minor), (
        "#!/bin/sh\n"
        'case "$*" in *pyhooks-probe*) ;; *) echo "not a real python" >&2; exit 99;; esac\n'
        "printf 'pyhooks-probe\\ncpython\\n%s %s %s\\n%d\\n.cpython-%s%s-x86_64-linux-gnu.so\\n"
        "cpython-%s%s-x86_64-linux-gnu\\n/fake/python\\n'\n"
        % (major, minor, micro, (int(major) << 24) | (int(minor) << 16), major, minor,
           major, minor)))
    os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)
    return script


class Version(StageTest):
    def test_version(self):
        result = pyhooks("--version")
        import pyhooks as package  # the staged package, on PYTHONPATH
        self.assertEqual(result.stdout, "pyhooks %s (plugin ABI %d.%d)\n" % (
            package.version, package.abi_major, package.abi_minor))
        self.assertEqual(result.returncode, 0)

    def test_help_for_every_command(self):
        for command in ([], ["run"], ["check"], ["list"], ["info"], ["inspect"],
                        ["new-plugin"]):
            with self.subTest(command=command):
                result = pyhooks(*command, "--help")
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("Usage: pyhooks", result.stdout)
                self.assertIn("Examples:", result.stdout)
        self.assertIn("(script.py | -m module | -c code | -) [args...]",
                      pyhooks("run", "--help").stdout)

    def test_usage_errors(self):
        cases = [
            (["frob"], "pyhooks: error: unknown command 'frob' (commands: run, check, "
                       "list, info, inspect, new-plugin, completion); see 'pyhooks --help'"),
            (["list", "--bogus"], "pyhooks: error: The following argument was not "
                                  "expected: --bogus; see 'pyhooks list --help'"),
            (["run", "--bogus", "x.py"], "pyhooks: error: The following argument was not "
                                         "expected: --bogus; see 'pyhooks run --help'"),
            (["inspect"], "pyhooks: error: LIBRARY is required; see 'pyhooks inspect --help'"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = pyhooks(*args)
                self.assertEqual((result.returncode, result.stderr), (2, message + "\n"))


class ListAndInspect(StageTest):
    def test_list(self):
        result = pyhooks("list")
        self.assertEqual(result.returncode, 0, result.stderr)
        rows = {tuple(line.split()) for line in result.stdout.splitlines()}
        self.assertIn(("NAME", "VERSION", "ROLES", "PRIORITY", "CPYTHON", "LIBRARY"), rows)
        self.assertIn(("recorder", "1.0.0", "observer", "500", "3.11-3.13", RECORDER), rows)
        self.assertIn(("evaluator", "1.0.0", "evaluator", "500", "3.11-3.13",
                       os.path.join(PLUGIN_DIR, "pyhooks_test_evaluator.so")), rows)
        self.assertIn("plugin search path: " + PLUGIN_DIR, result.stdout)
        self.assertIn("  plugin library '%s/pyhooks_test_abi_major.so' was built for pyhooks "
                      "plugin ABI 2.0" % PLUGIN_DIR, result.stdout)
        self.assertIn("  plugin library '%s/pyhooks_test_raising_observer.so' can only be "
                      "read inside Python: it needs the Python symbol PyExc_ValueError"
                      % PLUGIN_DIR, result.stdout)

    def test_list_uses_the_configured_plugin_path(self):
        with TempDir() as d:
            os.makedirs(os.path.join(d, "plugins"))
            shutil.copy(RECORDER, os.path.join(d, "plugins", "pyhooks_recorder.so"))
            write(os.path.join(d, "pyhooks.toml"), 'plugin_path = ["plugins"]\n')
            result = pyhooks("list", cwd=d, env=environment(PYHOOKS_PLUGIN_PATH=None))
            self.assertIn(os.path.join(os.path.realpath(d), "plugins", "pyhooks_recorder.so"),
                          result.stdout)

    def test_inspect(self):
        result = pyhooks("inspect", RECORDER)
        self.assertEqual(result.returncode, 0, result.stderr)
        out = result.stdout
        self.assertIn("library: " + RECORDER, out)
        self.assertIn("plugins: 2", out)
        self.assertRegex(out, r"\nrecorder 1\.0\.0\n  description: +pyhooks test plugin")
        self.assertRegex(out, r"  events: +start,resume,return,yield,unwind\n")
        self.assertRegex(out, r"    thread +bool +default false +log the thread id\n")
        self.assertRegex(out, r"    disable +list of strings +\(no default\)")

    def test_inspect_explains_why_not(self):
        import pyhooks as package  # the staged package, on PYTHONPATH
        cases = {
            "pyhooks_test_abi_major.so": "was built for pyhooks plugin ABI 2.0 but this host "
                                         "provides ABI 1.%d; rebuild it" % package.abi_minor,
            "pyhooks_test_no_entry.so": "does not export pyhooks_plugin_entry",
            "pyhooks_test_bad_priority.so": "default_priority 5000 is outside 0..1000",
            "pyhooks_test_garbage_count.so": "invalid plugin table (100000 entries)",
        }
        for name, reason in cases.items():
            with self.subTest(library=name):
                path = os.path.join(PLUGIN_DIR, name)
                result = pyhooks("inspect", path)
                self.assertEqual(result.returncode, 1)
                self.assertEqual(result.stdout, "")
                self.assertTrue(result.stderr.startswith(
                    "pyhooks: error: plugin library '%s' " % path), result.stderr)
                self.assertIn(reason, result.stderr)
                self.assertEqual(result.stderr.count("\n"), 1)

    def test_inspect_with_interpreter(self):
        declines = os.path.join(PLUGIN_DIR, "pyhooks_test_declines.so")
        self.assertEqual(pyhooks("inspect", declines).returncode, 0)
        result = pyhooks("inspect", "--python", PYTHON, declines)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr, "pyhooks: error: plugin library '%s' declines to "
                         "load on %s: test: this plugin never runs on this Python\n"
                         % (declines, PYTHON))

    def test_inspect_missing_file(self):
        result = pyhooks("inspect", "nowhere.so")
        self.assertEqual((result.returncode, result.stderr),
                         (2, "pyhooks: error: 'nowhere.so' does not exist\n"))


class Info(StageTest):
    def test_info(self):
        result = pyhooks("info")
        self.assertEqual(result.returncode, 0, result.stderr)
        out = result.stdout
        self.assertIn("installed tree: " + os.path.realpath(STAGE), out)
        host_module = "_host" + probe("sysconfig.get_config_var('EXT_SUFFIX')")
        self.assertIn("  %s  (CPython %s)" % (host_module, probe(
            "'%d.%d' % sys.version_info[:2]")), out)
        version = probe("'%d.%d.%d' % sys.version_info[:3]")
        self.assertRegex(out, r"\n  /\S+  +CPython %s  +%s\n" % (
            re.escape(version), re.escape(host_module)))
        self.assertIn("plugin search path:\n  " + PLUGIN_DIR, out)
        self.assertIn("configuration: the built-in default configuration", out)


class RunErrors(StageTest):
    def test_unknown_plugin(self):
        result = pyhooks_run("-c", "print('ran')", options=("-p", "nosuch"))
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertTrue(result.stderr.startswith(
            "pyhooks: error: -p nosuch: no plugin named 'nosuch' in the plugin search "
            "path " + PLUGIN_DIR), result.stderr)

    def test_bad_options(self):
        cases = [
            ("recorder", "pyhooks: error: -o recorder: expected NAME.KEY=VALUE (for example "
                         "-o profiler.output=run.prof)"),
            ("recorder.colour=red", "pyhooks: error: -o recorder.colour=red: plugin "
                                    "'recorder' has no option 'colour' (it takes: filename, "
                                    "tag, thread, line, args, values, disable)"),
            ("recorder.thread=maybe", "pyhooks: error: -o recorder.thread=maybe: plugin "
                                      "'recorder': option 'thread' must be a bool (got "
                                      "'maybe')"),
            ("basic.tag=x", "pyhooks: error: -o basic.tag=x: plugin 'basic' is not selected "
                            "(selected: recorder); select it with -p basic"),
        ]
        for option, message in cases:
            with self.subTest(option=option):
                result = pyhooks_run("-c", "print('ran')", options=("-p", "recorder", "-o", option))
                self.assertEqual((result.returncode, result.stdout, result.stderr),
                                 (2, "", message + "\n"))

    def test_required_plugin_failing_at_start(self):
        result = pyhooks_run("-c", "print('ran')", options=("-p", "init_fails"))
        self.assertEqual((result.returncode, result.stdout), (2, ""))
        self.assertIn("pyhooks: error: plugin 'init_fails'", result.stderr)

    def test_interpreter_not_found(self):
        result = run([PYHOOKS, "run", "--python", "python3.99-nonexistent", "-c", "pass"])
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr, "pyhooks: error: --python: 'python3.99-nonexistent' "
                         "is not in PATH; name a CPython 3.11-3.13 with --python or `python` "
                         "in pyhooks.toml\n")

    def test_unsupported_version(self):
        with TempDir() as d:
            for version in ("3.10.13", "2.7.18", "3.14.0"):
                with self.subTest(version=version):
                    fake = fake_python(d, version)
                    result = run([PYHOOKS, "run", "--python", fake, "-c", "pass"])
                    self.assertEqual(result.stderr, "pyhooks: error: %s is CPython %s; pyhooks "
                                     "supports CPython 3.11, 3.12 and 3.13\n"
                                     % (fake, version.rsplit(".", 1)[0]))
                    self.assertEqual(result.returncode, 2)

    def test_real_unsupported_interpreter(self):
        found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10.*/bin/python3.10")))
        found += [shutil.which("python3.10")] if shutil.which("python3.10") else []
        if not found:
            self.skipTest("no CPython 3.10 on this machine")
        result = run([PYHOOKS, "run", "--python", found[0], "-c", "pass"])
        self.assertEqual((result.returncode, result.stderr), (2, (
            "pyhooks: error: %s is CPython 3.10; pyhooks supports CPython 3.11, 3.12 "
            "and 3.13\n" % found[0])))

    def copy_stage(self, directory, skip_host=None):
        """A copy of the installed tree, optionally without one host module."""
        root = os.path.join(directory, "stage")
        shutil.copytree(STAGE, root, symlinks=True,
                        ignore=lambda d, names: [n for n in names if n == skip_host])
        return os.path.join(root, "bin", "pyhooks")

    def test_no_host_module_for_this_interpreter(self):
        suffix = probe("sysconfig.get_config_var('EXT_SUFFIX')")
        with TempDir() as d:
            copy = self.copy_stage(d, skip_host="_host" + suffix)
            result = run([copy, "run", "--python", PYTHON, "-c", "pass"])
            self.assertEqual(result.returncode, 2)
            self.assertRegex(result.stderr, r"^pyhooks: error: this pyhooks build has no host "
                             r"module for %s \(CPython [\d.]+, %s\); it was built for CPython "
                             r"[\d., ()a-z]+; rebuild pyhooks with this interpreter \(make build "
                             r"PYTHONS=%s\)\n$" % (re.escape(PYTHON), re.escape(suffix),
                                                  re.escape(PYTHON)))

    def test_incomplete_installation(self):
        with TempDir() as d:
            os.makedirs(os.path.join(d, "bin"))
            copy = shutil.copy(PYHOOKS, os.path.join(d, "bin", "pyhooks"))
            result = run([copy, "run", "--python", PYTHON, "-c", "pass"])
            self.assertEqual(result.returncode, 2)
            self.assertIn("this pyhooks is not part of an installed tree", result.stderr)
            self.assertEqual(result.stderr.count("\n"), 1)


if __name__ == "__main__":
    unittest.main()
