"""The plugin author's guide as installed (share/pyhooks/plugin-authoring.md)
and what it promises beside it: every ```c and ```cpp block carries a
marker and compiles with -Wall -Wextra -Werror against the installed
headers alone; those marked `<!-- compile plugin -->` are also linked as
plugins (with -Wl,--no-undefined unless marked `python`, which compiles
against this interpreter's Python.h) and must pass `pyhooks inspect`;
```python blocks must parse."""

import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

STAGE = Path(os.environ["PYHOOKS_STAGE"])
SHARE = STAGE / "share" / "pyhooks"
GUIDE = SHARE / "plugin-authoring.md"
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
FLAGS = ["-Wall", "-Wextra", "-Werror", "-fPIC", "-fvisibility=hidden",
         "-I%s" % (STAGE / "include")]
COMPILERS = {"c": ["cc", "-std=c11"], "cpp": ["c++", "-std=c++20"]}
FENCE = re.compile(r"^```(\w*)\s*$")
MARKER = re.compile(r"^<!-- compile( plugin)?( python)? -->\s*$")


def snippets(text):
    """(line, language, marker match or None, code) of each fenced block."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence and fence.group(1):
            start = i
            i += 1
            body = []
            while i < len(lines) and lines[i].rstrip() != "```":
                body.append(lines[i])
                i += 1
            marker = None
            if start > 0:
                marker = MARKER.match(lines[start - 1])
            blocks.append((start + 1, fence.group(1), marker,
                           "\n".join(body) + "\n"))
        i += 1
    return blocks


def python_include_flags():
    # The interpreter under test's headers (it runs this file too, but say so).
    done = subprocess.run(
        [PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()"
                       "['include'])"], capture_output=True, text=True,
        timeout=60, check=True)
    return ["-I%s" % done.stdout.strip()]


class InstalledDocs(unittest.TestCase):
    def test_guide_abi_examples_and_headers_are_installed(self):
        for path in (GUIDE, SHARE / "internals" / "plugin-abi.md",
                     SHARE / "examples" / "call_counter.c",
                     SHARE / "abi" / "plugin-1.0.h",
                     SHARE / "abi" / "plugin-1.1.h",
                     STAGE / "include" / "pyhooks" / "plugin.h",
                     STAGE / "include" / "pyhooks" / "plugin.hpp"):
            self.assertTrue(path.is_file(), path)
        source = Path(os.environ["PYHOOKS_SOURCE_DIR"]) / "docs"
        self.assertEqual(GUIDE.read_text(),
                         (source / "plugin-authoring.md").read_text())

    def test_guide_covers_what_an_author_needs(self):
        headings = re.findall(r"^## (.+)$", GUIDE.read_text(), re.M)
        for topic in ("pyhooks new-plugin", "An observer from nothing",
                      "An evaluator from nothing", "limited API",
                      "Lifecycle", "Threads", "Subinterpreters", "slots",
                      "DISABLE", "Version negotiation", "Testing a plugin"):
            self.assertTrue(any(topic in h for h in headings),
                            "no section on %r in %s" % (topic, headings))


class GuideSnippets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.blocks = snippets(GUIDE.read_text())
        cls.scratch = Path(tempfile.mkdtemp(prefix="pyhooks-guide-"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def test_every_c_and_cpp_block_is_marked(self):
        code = [b for b in self.blocks if b[1] in COMPILERS]
        self.assertGreaterEqual(len(code), 6)
        for line, language, marker, _ in code:
            self.assertIsNotNone(
                marker, "%s:%d: a ```%s block without <!-- compile ... -->"
                % (GUIDE, line, language))

    def test_python_blocks_parse(self):
        python = [b for b in self.blocks if b[1] == "python"]
        self.assertTrue(python)
        for line, _, _, code in python:
            with self.subTest(line=line):
                ast.parse(code, filename="%s:%d" % (GUIDE, line))

    @unittest.skipIf(shutil.which("cc") is None or shutil.which("c++") is None,
                     "needs cc and c++")
    def test_c_and_cpp_blocks_compile_and_plugins_load(self):
        plugins = 0
        for line, language, marker, code in self.blocks:
            if language not in COMPILERS or marker is None:
                continue
            with self.subTest(line=line):
                output = self.build(line, language, marker, code)
                if marker.group(1):
                    plugins += 1
                    done = subprocess.run(
                        [str(STAGE / "bin" / "pyhooks"), "inspect",
                         "--python", PYTHON, str(output)],
                        capture_output=True, text=True, timeout=60)
                    self.assertEqual(done.returncode, 0, "%s:%d:\n%s%s" % (
                        GUIDE, line, done.stdout, done.stderr))
        self.assertGreaterEqual(plugins, 5)

    def build(self, line, language, marker, code):
        suffix = ".c" if language == "c" else ".cc"
        source = self.scratch / ("snippet_%d%s" % (line, suffix))
        source.write_text(code)
        flags = list(FLAGS)
        if marker.group(2):
            flags += python_include_flags()
        if not marker.group(1):
            output = source.with_suffix(".o")
            command = [*COMPILERS[language], *flags, "-c", "-o", str(output),
                       str(source)]
        else:
            output = self.scratch / ("pyhooks_snippet_%d.so" % line)
            command = [*COMPILERS[language], *flags, "-shared", "-o",
                       str(output), str(source)]
            if not marker.group(2):
                command.append("-Wl,--no-undefined")
        done = subprocess.run(command, capture_output=True, text=True,
                              timeout=120)
        self.assertEqual(done.returncode, 0,
                         "%s:%d:\n%s" % (GUIDE, line, done.stderr))
        return output

    def plugin_snippet(self, name):
        """The library built from the guide's plugin called `name`."""
        for line, language, marker, code in self.blocks:
            if marker and marker.group(1) and \
                    ('.name = "%s"' % name) in code:
                return self.build(line, language, marker, code)
        self.fail("the guide has no plugin called %s" % name)

    @unittest.skipIf(shutil.which("cc") is None, "needs cc")
    def test_the_guides_observer_and_evaluator_work(self):
        from pyhooks import testing
        program = """
def main(n):
    return n if n < 1 else main(n - 1) + 1
results = []
for n in range(4):
    results.append(main(n))
print(results)
"""
        # The module's frame and main(3)..main(0), on every minor.
        expected = {"starts": r"main started 10 times",
                    "depth": r"deepest nesting: 5 calls",
                    "returns": r"main returned 3\n"}
        for name, line in expected.items():
            with self.subTest(name):
                result = testing.run(program, [str(self.plugin_snippet(name))],
                                     python=PYTHON)
                result.check()
                self.assertEqual(result.stdout, "[0, 1, 2, 3]\n")
                self.assertRegex(result.stderr, line)


    @unittest.skipIf(shutil.which("cmake") is None, "needs cmake")
    def test_the_limited_api_cmake_snippet_builds_returns_c(self):
        from pyhooks import testing
        cmake = [code for _, language, _, code in self.blocks
                 if language == "cmake" and "USES_PYTHON_API" in code]
        self.assertEqual(len(cmake), 1)
        source = [code for _, language, marker, code in self.blocks
                  if marker and marker.group(2) and '"returns"' in code]
        self.assertEqual(len(source), 1)
        project = self.scratch / "returns_project"
        project.mkdir()
        (project / "returns.c").write_text(source[0])
        (project / "CMakeLists.txt").write_text(
            "cmake_minimum_required(VERSION 3.22)\n"
            "project(returns LANGUAGES C)\n"
            "find_package(pyhooks 0.1 CONFIG REQUIRED)\n" + cmake[0])
        env = {k: v for k, v in os.environ.items()
               if k != "CMAKE_PREFIX_PATH"}
        for command in (
                ["cmake", "-S", str(project), "-B", str(project / "b"),
                 "-DCMAKE_PREFIX_PATH=%s" % STAGE,
                 "-DPython3_EXECUTABLE=%s" % PYTHON],
                ["cmake", "--build", str(project / "b")]):
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=300, env=env)
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        result = testing.run("def main():\n    return 'x' * 3\nmain()\n",
                             ["returns"], python=PYTHON,
                             plugin_path=[project / "b"])
        result.check()
        self.assertEqual(result.stderr, "main returned 'xxx'\n")


if __name__ == "__main__":
    unittest.main()
