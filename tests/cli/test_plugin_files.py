"""Plugin files the loader must answer without crashing or loading anything
else (plugin ABI policies LOADER-1..LOADER-6): a truncated library in the
search path, an entry symbol that is data, a directory named like a library,
a library in the current directory, LIBRARY:NAME, and option text with NUL."""

import os
import shutil

from support import (PLUGIN_DIR, RECORDER, StageTest, TempDir, environment, plain,
                     pyhooks, pyhooks_run, write)

PROGRAM = "print('ran')"


def one_line(test, result, *parts):
    """`result` failed cleanly (no signal) with one line holding `parts`."""
    test.assertGreater(result.returncode, 0, result.stderr)
    text = result.stderr if result.stderr else result.stdout
    test.assertEqual(text.count("\n"), 1, text)
    for part in parts:
        test.assertIn(part, text)


class TruncatedLibrary(StageTest):
    """`head -c 3000 plugin.so > d/pyhooks_zzz.so`: dlopen of that file
    would fault (SIGBUS); the loader reads it with pread and refuses it."""

    def setUp(self):
        self._temp = TempDir()
        self.dir = os.path.realpath(self._temp.__enter__())
        with open(RECORDER, "rb") as source:
            head = source.read(3000)
        self.zzz = os.path.join(self.dir, "pyhooks_zzz.so")
        with open(self.zzz, "wb") as out:
            out.write(head)
        self.env = environment(PYHOOKS_PLUGIN_PATH=self.dir + ":" + PLUGIN_DIR)
        self.problem = ("plugin library '%s' cannot be loaded: the file is truncated: "
                        % self.zzz)

    def tearDown(self):
        self._temp.__exit__(None, None, None)

    def test_unrelated_commands_never_open_it(self):
        # Selecting another plugin by name reads only that plugin's file.
        checked = pyhooks("check", "-p", "recorder", env=self.env)
        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertNotIn("pyhooks_zzz", checked.stdout + checked.stderr)
        ran = pyhooks_run("-c", PROGRAM, env=self.env)
        self.assertEqual((ran.returncode, ran.stdout), (0, "ran\n"), ran.stderr)
        self.assertNotIn("pyhooks_zzz", ran.stderr)

    def test_every_command_that_reads_it_gives_one_line(self):
        cases = [
            ("check", pyhooks("check", "-p", "zzz", env=self.env)),
            ("run", pyhooks_run("-c", PROGRAM, options=("-p", "zzz"), env=self.env)),
            ("inspect", pyhooks("inspect", self.zzz, env=self.env)),
        ]
        for name, result in cases:
            with self.subTest(command=name):
                one_line(self, result, self.problem, "remove it from the plugin path")
                self.assertNotIn("ran", result.stdout)

    def test_list_names_it_among_the_unusable(self):
        listed = pyhooks("list", env=self.env)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        lines = [line for line in listed.stdout.splitlines() if "pyhooks_zzz" in line]
        self.assertEqual(len(lines), 1, listed.stdout)
        self.assertIn(self.problem, lines[0])
        self.assertIn("recorder", listed.stdout)  # the rest is still listed

    def test_python_api_raises_plugin_error(self):
        code = ("import pyhooks\n"
                "try:\n"
                "    pyhooks.load('zzz')\n"
                "except pyhooks.PluginError as error:\n"
                "    print(error)\n")
        result = pyhooks_run("-c", code, env=self.env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith(self.problem), result.stdout)
        self.assertEqual(result.stdout.count("\n"), 1, result.stdout)


class LibraryFiles(StageTest):
    def test_entry_symbol_that_is_data_is_never_called(self):
        library = os.path.join(PLUGIN_DIR, "pyhooks_test_entry_data.so")
        message = ("plugin library '%s' cannot be loaded: it exports pyhooks_plugin_entry "
                   "as data (an object), not as a function" % library)
        for args in (("inspect", library), ("check", "-p", library)):
            with self.subTest(args=args):
                one_line(self, pyhooks(*args), message)
        one_line(self, pyhooks_run("-c", PROGRAM, options=("-p", library)), message)
        listed = pyhooks("list")
        self.assertEqual(listed.returncode, 0, listed.stderr)
        self.assertIn(message, listed.stdout)

    def test_callback_pointing_at_data_is_refused(self):
        library = os.path.join(PLUGIN_DIR, "pyhooks_test_callback_data.so")
        one_line(self, pyhooks("inspect", library),
                 "plugin library '%s' plugin #1 ('basic') has a callback outside "
                 "the library's executable code" % library)

    def test_directory_named_like_a_library(self):
        with TempDir() as d:
            os.mkdir(os.path.join(d, "x.so"))
            one_line(self, pyhooks("check", "-p", "x.so", cwd=d),
                     "pyhooks: error: -p x.so: plugin library 'x.so' is a directory, not a "
                     "plugin library; name the .so file inside it")
            one_line(self, pyhooks("inspect", "x.so", cwd=d), "'x.so' is a directory")

    def test_library_in_the_current_directory_is_that_file(self):
        with TempDir() as d:
            # Named like a system library: dlopen("libm.so") would search the
            # system's path; -p libm.so must load ./libm.so and nothing else.
            shutil.copy(RECORDER, os.path.join(d, "libm.so"))
            result = pyhooks("check", "-p", "libm.so:recorder_b", cwd=d)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("1. recorder_b  1.0.0  observer", result.stdout)
            self.assertIn(os.path.join(os.path.realpath(d), "libm.so"),
                          result.stdout.replace(d, os.path.realpath(d)))
            several = pyhooks("check", "-p", "libm.so", cwd=d)
            one_line(self, several, "plugin library 'libm.so' holds several plugins "
                     "(recorder, recorder_b); name the one to load, as libm.so:NAME")
            missing = pyhooks("check", "-p", "libz.so", cwd=d)
            one_line(self, missing, "plugin library 'libz.so' does not exist (a path is "
                     "used as given, relative to the current directory)")

    def test_library_colon_name_runs_that_plugin(self):
        target = RECORDER + ":recorder_b"
        ran = pyhooks_run("-c", PROGRAM, options=("-p", target, "-o", "recorder_b.tag=B:"))
        self.assertEqual((ran.returncode, ran.stdout), (0, "ran\n"), ran.stderr)
        self.assertEqual(ran.stdout, plain("-c", PROGRAM).stdout)
        by_name = pyhooks("check", "-p", "test_recorder:recorder_b")
        self.assertEqual(by_name.returncode, 0, by_name.stderr)
        self.assertIn("1. recorder_b  1.0.0  observer", by_name.stdout)


class OptionText(StageTest):
    def test_nul_in_an_option_is_refused(self):
        with TempDir() as d:
            write(os.path.join(d, "pyhooks.toml"),
                  '[plugin.recorder.options]\ntag = "a\\u0000b"\n')
            for result in (pyhooks("check", cwd=d),
                           pyhooks_run("-c", PROGRAM, options=(), cwd=d)):
                one_line(self, result,
                         "pyhooks.toml:2:7: error: plugin 'recorder': option 'tag' "
                         "contains a NUL character")
                self.assertEqual(result.stdout, "")

    def test_nul_through_the_python_api_is_refused(self):
        code = ("import pyhooks\n"
                "for options, name in (({'tag': 'a\\0b'}, 'recorder'), (None, 'recorder\\0x')):\n"
                "    try:\n"
                "        pyhooks.load(%r, name=name, options=options)\n"
                "    except ValueError as error:\n"
                "        print(error)\n"
                "print(pyhooks.chain())\n" % RECORDER)
        result = pyhooks_run("-c", code, options=("-p", "basic"))
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "plugin 'recorder': option 'tag' contains a NUL "
                         "character, which a plugin cannot receive (it would read the text "
                         "cut short); remove it")
        self.assertEqual(lines[1], "pyhooks: a plugin target, name or path contains a NUL "
                         "character; remove it")
        self.assertNotIn("'recorder'", lines[2])
