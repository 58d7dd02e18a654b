"""pyhooks.testing - run a program under plugins, for plugin authors' tests.

::

    from pyhooks import testing

    result = testing.run("def main(): pass\\nmain()\\n", plugins=["counter"],
                         options={"counter": {"output": "out.txt"}})
    result.check()                  # AssertionError with the output unless 0
    assert result.files["out.txt"] == "main 1\\n"

Each run is ``pyhooks run -p NAME... -o NAME.KEY=VALUE... main.py`` - the
command a user types - in a fresh temporary directory holding the program,
with an empty configuration file (so no pyhooks.toml, PYHOOKS_CONFIG,
PYHOOKS_ENABLE or PYHOOKS_DISABLE of the caller's applies). What the run
leaves in that directory (a plugin's output files, given as relative paths or
left at their defaults) is returned in ``result.files``; the directory is
then removed. Plugins are found as ``pyhooks run`` finds them: by name in
the directories given as ``plugin_path``, then ``$PYHOOKS_PLUGIN_PATH``,
then the installed plugin directory; a path to a library works too.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["Result", "pyhooks_executable", "run"]

_PROGRAM = "main.py"
_CONFIG = "pyhooks.toml"
# Environment that would make a run depend on the caller's setup.
_ISOLATED = ("PYHOOKS_CONFIG", "PYHOOKS_ENABLE", "PYHOOKS_DISABLE")


class Result:
    """What a run did: its command, exit status, output and files."""

    def __init__(self, command, returncode, stdout, stderr, files):
        self.command = command
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        # {path relative to the run's directory: text} of every file the run
        # left there besides the program (bytes that are not UTF-8 are kept
        # as surrogate escapes).
        self.files = files

    def check(self, returncode=0):
        """Raises AssertionError, with everything the run printed, unless it
        exited with `returncode`. Returns self."""
        if self.returncode != returncode:
            raise AssertionError(
                "%s exited with %d (expected %d)\n--- stdout\n%s--- stderr\n%s"
                % (" ".join(self.command), self.returncode, returncode,
                   self.stdout, self.stderr))
        return self

    def __repr__(self):
        return "Result(returncode=%d, stdout=%r, stderr=%r, files=%r)" % (
            self.returncode, self.stdout, self.stderr, sorted(self.files))


def pyhooks_executable():
    """The `pyhooks` command: $PYHOOKS_EXECUTABLE, else the bin/pyhooks of
    the installed tree this package belongs to."""
    configured = os.environ.get("PYHOOKS_EXECUTABLE")
    if configured:
        return configured
    here = Path(__file__).resolve()
    candidates = [
        # a wheel: site-packages/pyhooks/testing.py -> pyhooks/bin
        here.parent / "bin" / "pyhooks",
        # <prefix>/lib/pyhooks/python/pyhooks/testing.py -> <prefix>/bin
        here.parents[4] / "bin" / "pyhooks",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    raise RuntimeError(
        "pyhooks.testing: no pyhooks executable at %s; use the package of an "
        "installed pyhooks, or set PYHOOKS_EXECUTABLE"
        % " or ".join(map(str, candidates)))


def _option_arguments(options):
    arguments = []
    for plugin, values in (options or {}).items():
        for key, value in values.items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            arguments += ["-o", "%s.%s=%s" % (plugin, key, value)]
    return arguments


def _collect(directory):
    files = {}
    for path in sorted(directory.rglob("*")):
        name = path.relative_to(directory).as_posix()
        if path.is_file() and name not in (_PROGRAM, _CONFIG):
            files[name] = path.read_bytes().decode("utf-8", "surrogateescape")
    return files


def run(program, plugins=(), options=None, *, args=(), python=None,
        plugin_path=(), env=None, stdin="", timeout=120):
    """Runs `program` under `plugins` and returns a Result.

    program: the program's source text, or a path (pathlib.Path) to a
        script, which is copied into the run's directory as main.py.
    plugins: names (or library paths) for ``-p``, in any order; the host
        orders the chain.
    options: {plugin: {key: value}}, given as ``-o plugin.key=value``
        (booleans as true/false); relative paths land in result.files.
    args: the program's arguments (sys.argv[1:]).
    python: the interpreter (default: this one, sys.executable).
    plugin_path: extra plugin directories, searched first.
    env: variables to set (or, with value None, unset) for the run.
    stdin: text given to the program's standard input.
    """
    if isinstance(program, os.PathLike):
        program = Path(program).read_text()
    if isinstance(plugins, str):
        plugins = [plugins]
    environment = dict(os.environ)
    for name in _ISOLATED:
        environment.pop(name, None)
    searched = [str(Path(d).resolve()) for d in plugin_path]
    if environment.get("PYHOOKS_PLUGIN_PATH"):
        searched.append(environment["PYHOOKS_PLUGIN_PATH"])
    if searched:
        environment["PYHOOKS_PLUGIN_PATH"] = os.pathsep.join(searched)
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    with tempfile.TemporaryDirectory(prefix="pyhooks-testing-") as scratch:
        directory = Path(scratch)
        (directory / _PROGRAM).write_text(program)
        (directory / _CONFIG).write_text("")
        command = [pyhooks_executable(), "run", "--config",
                   str(directory / _CONFIG), "--python",
                   python or sys.executable]
        for plugin in plugins:
            command += ["-p", str(plugin)]
        command += _option_arguments(options)
        command += [_PROGRAM, *map(str, args)]
        done = subprocess.run(command, cwd=str(directory), env=environment,
                              input=stdin, capture_output=True, text=True,
                              timeout=timeout)
        return Result(command, done.returncode, done.stdout, done.stderr,
                      _collect(directory))
