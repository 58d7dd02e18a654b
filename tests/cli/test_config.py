"""What a configuration does: where it is found, and each key's effect on the
program `pyhooks run` starts (observed from inside the program)."""

import json
import os
import re
import unittest

from support import (PLUGIN_DIR, PROGRAMS, PYTHON, RECORDER, StageTest, TempDir,
                     environment, pyhooks, run, write)

REPORT = os.path.join(PROGRAMS, "report.py")


def python_minor():
    out = run([PYTHON, "-c", "import sys; print(sys.version_info[1])"])
    return int(out.stdout)


class ConfigTest(StageTest):
    def report(self, directory, *options, env=None, expect_status=0):
        """Runs programs/report.py under pyhooks in `directory`."""
        result = run([os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks"),
                      "run", "--python", PYTHON, *options, REPORT],
                     cwd=directory, env=env)
        self.assertEqual(result.returncode, expect_status, result.stderr)
        return json.loads(result.stdout) if expect_status == 0 else result

    def check(self, directory, *options, env=None):
        result = pyhooks("check", *options, cwd=directory, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout


class Discovery(ConfigTest):
    def test_pyhooks_toml_in_current_directory(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"), "[plugin.recorder]\n")
            self.assertEqual(self.report(d)["chain"], ["recorder"])

    def test_pyproject_tool_table(self):
        with TempDir() as d:
            write(os.path.join(d, "pyproject.toml"),
                  '[project]\nname = "x"\n\n[tool.pyhooks.plugin.recorder]\npriority = 123\n')
            report = self.report(d)
            self.assertEqual(report["chain"], ["recorder"])
            self.assertEqual(report["priorities"]["recorder"], 123)
            self.assertIn("configuration: pyproject.toml [tool.pyhooks]", self.check(d))

    def test_pyproject_without_tool_table_is_ignored(self):
        with TempDir() as d:
            write(os.path.join(d, "pyproject.toml"), '[project]\nname = "x"\n')
            self.assertIn("built-in default configuration", self.check(d))

    def test_pyhooks_toml_wins_over_pyproject(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"), "[plugin.recorder]\n")
            write(os.path.join(d, "pyproject.toml"), "[tool.pyhooks.plugin.basic]\n")
            self.assertEqual(self.report(d)["chain"], ["recorder"])

    def test_found_in_a_parent_directory(self):
        with TempDir() as d:
            config = write(os.path.join(d, "pyhooks.toml"), "[plugin.recorder]\n")
            below = os.path.join(d, "src", "pkg")
            os.makedirs(below)
            self.assertEqual(self.report(below)["chain"], ["recorder"])
            self.assertIn("configuration: %s" % config, self.check(below))
            # The nearest file wins, pyproject.toml's table included.
            write(os.path.join(d, "src", "pyproject.toml"),
                  "[tool.pyhooks.plugin.basic]\n")
            self.assertEqual(self.report(below)["chain"], ["basic"])

    def test_search_stops_at_the_repository_root_and_home(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"), "[plugin.recorder]\n")
            repo = os.path.join(d, "repo")
            below = os.path.join(repo, "src")
            os.makedirs(below)
            self.assertEqual(self.report(below)["chain"], ["recorder"])
            os.mkdir(os.path.join(repo, ".git"))
            self.assertIn("built-in default configuration", self.check(below))
            os.rmdir(os.path.join(repo, ".git"))
            env = environment(HOME=repo)
            self.assertIn("built-in default configuration", self.check(below, env=env))
            # The home directory itself is still searched.
            write(os.path.join(repo, "pyhooks.toml"), "[plugin.basic]\n")
            self.assertEqual(self.report(below, env=env)["chain"], ["basic"])

    def test_config_option_and_environment(self):
        with TempDir() as d:
            one = write(os.path.join(d, "one.toml"), "[plugin.recorder]\n")
            two = write(os.path.join(d, "two.toml"), "[plugin.basic]\n")
            self.assertEqual(self.report(d, "--config", one)["chain"], ["recorder"])
            env = environment(PYHOOKS_CONFIG=two)
            self.assertEqual(self.report(d, env=env)["chain"], ["basic"])
            self.assertEqual(self.report(d, "--config", one, env=env)["chain"], ["recorder"])

    def test_missing_config_file(self):
        with TempDir() as d:
            result = self.report(d, "--config", "nope.toml", expect_status=2)
            self.assertEqual(result.stderr, "pyhooks: error: config file 'nope.toml' "
                             "(named by --config) does not exist\n")

    def test_default_configuration(self):
        with TempDir() as d:
            out = self.check(d)
            self.assertIn("built-in default configuration", out)
            self.assertIn("[plugin.profiler]", out)


class Keys(ConfigTest):
    def test_plugin_path_and_library_are_relative_to_the_file(self):
        with TempDir() as d:
            conf = os.path.join(d, "conf")
            os.makedirs(os.path.join(conf, "plugins"))
            os.symlink(RECORDER, os.path.join(conf, "plugins", "pyhooks_recorder.so"))
            os.symlink(os.path.join(PLUGIN_DIR, "pyhooks_test_basic.so"),
                       os.path.join(conf, "basic_copy.so"))
            config = write(os.path.join(conf, "pyhooks.toml"),
                           'plugin_path = ["plugins"]\n[plugin.recorder]\n'
                           '[plugin.basic]\nlibrary = "basic_copy.so"\n')
            env = environment(PYHOOKS_PLUGIN_PATH=None)
            report = self.report(d, "--config", config, env=env)
            self.assertEqual(sorted(report["chain"]), ["basic", "recorder"])
            self.assertIn(os.path.join(conf, "plugins"), self.check(d, "--config", config, env=env))

    def test_options_reach_the_plugin(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"),
                  '[plugin.recorder.options]\ntag = "T:"\nline = true\n')
            work = self.report(d)["work"]
            self.assertEqual(work[0], "T:start work line=9")
            work = self.report(d, "-o", "recorder.tag=CLI:", "-o", "recorder.line=false")["work"]
            self.assertEqual(work[0], "CLI:start work")

    def test_enabled_and_environment_lists(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"),
                  "[plugin.recorder]\n[plugin.basic]\nenabled = false\n")
            self.assertEqual(self.report(d)["chain"], ["recorder"])
            env = environment(PYHOOKS_ENABLE="basic, slot_user")
            self.assertEqual(sorted(self.report(d, env=env)["chain"]),
                             ["basic", "recorder", "slot_user"])
            env = environment(PYHOOKS_DISABLE="recorder")
            self.assertEqual(self.report(d, env=env)["chain"], [])

    def test_command_line_selection_replaces_the_configured_one(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"),
                  "[plugin.basic]\n[plugin.recorder]\npriority = 7\n")
            report = self.report(d, "-p", "recorder")
            self.assertEqual(report["chain"], ["recorder"])
            self.assertEqual(report["priorities"]["recorder"], 7)

    def test_priority_and_order_give_the_chain_check_prints(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"),
                  "[plugin.basic]\npriority = 100\n[plugin.recorder]\npriority = 900\n"
                  "[plugin.slot_user]\n")
            self.assertEqual(self.report(d)["chain"], ["recorder", "slot_user", "basic"])
            checked = re.findall(r"^  \d+\. (\S+)", self.check(d), re.M)
            self.assertEqual(checked, ["recorder", "slot_user", "basic"])
            write(os.path.join(d, "pyhooks.toml"),
                  'order = ["basic", "*"]\n[plugin.basic]\npriority = 100\n'
                  "[plugin.recorder]\npriority = 900\n[plugin.slot_user]\n")
            self.assertEqual(self.report(d)["chain"], ["basic", "recorder", "slot_user"])
            out = self.check(d)
            self.assertEqual(re.findall(r"^  \d+\. (\S+)", out, re.M),
                             ["basic", "recorder", "slot_user"])
            self.assertIn("position 1 in order", out)
            self.assertIn('"*" in order, priority 900 (configured)', out)

    def test_python_key(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"), 'python = "%s"\n' % PYTHON)
            result = run([os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks"),
                          "run", "-c", "import sys; print(sys.executable)"], cwd=d)
            expected = run([PYTHON, "-c", "import sys; print(sys.executable)"])
            self.assertEqual((result.returncode, result.stdout), (0, expected.stdout), result.stderr)

    def test_event_source(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"),
                  'event_source = "eval_frame"\n[plugin.recorder]\n')
            self.assertEqual(self.report(d)["event_source"], "eval_frame")
            write(os.path.join(d, "pyhooks.toml"),
                  'event_source = "monitoring"\n[plugin.recorder]\n')
            if python_minor() >= 12:
                self.assertEqual(self.report(d)["event_source"], "monitoring")
            else:
                result = self.report(d, expect_status=2)
                self.assertRegex(result.stderr, r'^pyhooks.toml:1:16: error: event_source '
                                 r'"monitoring" needs CPython 3.12 or newer, and \S+ is '
                                 r'CPython 3\.11\.\d+\n$')

    def test_strict(self):
        strict = os.path.join(PROGRAMS, "strict.py")
        raising = os.path.join(PLUGIN_DIR, "pyhooks_test_raising_observer.so")
        with TempDir() as d:
            base = '[plugin.raising_observer]\nlibrary = "%s"\n' % raising
            write(os.path.join(d, "pyhooks.toml"), "strict = true\n" + base)
            result = run([os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks"),
                          "run", "--python", PYTHON, strict], cwd=d)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("PluginError: plugin 'raising_observer' failed", result.stdout)
            write(os.path.join(d, "pyhooks.toml"), base)
            result = run([os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks"),
                          "run", "--python", PYTHON, strict], cwd=d)
            self.assertEqual(result.stdout, "boom ran\nafter boom\n")
            self.assertIn("pyhooks: error: plugin 'raising_observer' failed", result.stderr)

    def test_children_key(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"), "children = false\n[plugin.recorder]\n")
            result = run([os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks"),
                          "run", "--python", PYTHON, os.path.join(PROGRAMS, "children.py")],
                         cwd=PROGRAMS, env=environment(PYHOOKS_CONFIG=os.path.join(d, "pyhooks.toml")))
            self.assertEqual(result.returncode, 0, result.stderr)
            report = json.loads(result.stdout)
            self.assertEqual(report["main"]["active"], ["recorder"])
            self.assertEqual(report["subprocess"]["active"], [])

    def test_optional_plugin_that_is_missing(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"),
                  "[plugin.recorder]\n[plugin.not_installed]\nrequired = false\n")
            result = self.report(d, expect_status=0)
            self.assertEqual(result["chain"], ["recorder"])
            warned = pyhooks("check", cwd=d)
            self.assertRegex(warned.stderr, r"^pyhooks.toml:2:1: warning: no plugin named "
                             r"'not_installed' .*; running without it \(required = false\)\n$")


class Examples(ConfigTest):
    SOURCE = os.environ.get("PYHOOKS_SOURCE_DIR", os.path.join(PROGRAMS, "..", "..", ".."))

    def test_example_configuration_is_valid(self):
        example = os.path.join(self.SOURCE, "examples", "pyhooks.toml")
        out = self.check(PROGRAMS, "--config", example)
        self.assertIn("1. profiler", out)
        self.assertIn('options:      output = "profile.prof", summary = 10, svg = "profile.svg"',
                      out)

    def test_demo_with_the_default_configuration(self):
        demo = os.path.join(self.SOURCE, "examples", "demo.py")
        with TempDir() as d:
            expected = run([PYTHON, demo], cwd=d)
            result = run([os.path.join(os.environ["PYHOOKS_STAGE"], "bin", "pyhooks"),
                          "run", "--python", PYTHON, demo], cwd=d)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout, expected.stdout)
            self.assertIn("fibonacci(22) = 17711", result.stdout)


if __name__ == "__main__":
    unittest.main()
