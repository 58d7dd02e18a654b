"""What the conformance run needs to know about one interpreter: its tag
(how expectations name it), the regrtest modules it ships and the regrtest
resources it knows."""

import json
import subprocess

from . import SetupError, Skipped

# Run by the interpreter itself, isolated (-I: no environment, no site
# packages, no current directory on sys.path).
_NO_TEST_PACKAGE = 3  # the probe's exit status
_PROBE = r"""
import json, sys
try:
    import test.libregrtest
except ImportError:
    sys.exit(3)
try:
    from test.libregrtest.utils import RESOURCE_NAMES
except ImportError:
    from test.libregrtest.cmdline import RESOURCE_NAMES
print(json.dumps({
    "version": "%d.%d.%d" % sys.version_info[:3],
    "implementation": sys.implementation.name,
    "prefix": sys.prefix,
    "debug": hasattr(sys, "gettotalrefcount"),
    "resources": list(RESOURCE_NAMES),
}))
"""


class Interpreter:
    """One CPython: `exe`, `version` ("3.11.2"), `flavour` ("debian" for
    Debian's build, "dbg" for a debug build, "" otherwise), `tag`
    ("3.11.2-debian"), `resources` (the names regrtest's -u accepts)."""

    def __init__(self, exe, env):
        self.exe = exe
        try:
            probe = subprocess.run(
                [exe, "-I", "-c", _PROBE], env=env, stdin=subprocess.DEVNULL,
                capture_output=True, text=True, timeout=120)
            if probe.returncode not in (0, _NO_TEST_PACKAGE):
                raise subprocess.CalledProcessError(probe.returncode, exe,
                                                    stderr=probe.stderr)
        except (OSError, subprocess.SubprocessError) as error:
            detail = getattr(error, "stderr", "") or ""
            raise SetupError("cannot use %s: %s %s" % (exe, error, detail.strip()))
        if probe.returncode == _NO_TEST_PACKAGE:
            raise Skipped("%s has no regression test package (`test`); Debian "
                          "ships it in libpython3.X-testsuite (make deps)" % exe)
        facts = json.loads(probe.stdout)
        if facts["implementation"] != "cpython":
            raise SetupError("%s is not CPython" % exe)
        self.version = facts["version"]
        self.debug = facts["debug"]
        # As tests/CMakeLists.txt tags interpreters.
        if self.debug:
            self.flavour = "dbg"
        elif facts["prefix"] == "/usr":
            self.flavour = "debian"
        else:
            self.flavour = ""
        self.tag = self.version + ("-" + self.flavour if self.flavour else "")
        self.resources = facts["resources"]

    @classmethod
    def restore(cls, facts):
        """The Interpreter that vars() of one described (run --report)."""
        interpreter = cls.__new__(cls)
        interpreter.__dict__.update(facts)
        return interpreter

    def list_tests(self, env, cwd):
        """Every regrtest module this interpreter ships, as `python -m test
        --list-tests` names them (packages split into their modules where
        regrtest splits them), without the "test." prefix."""
        result = subprocess.run(
            [self.exe, "-m", "test", "--list-tests"], env=env, cwd=cwd,
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=300)
        if result.returncode != 0:
            raise SetupError("%s -m test --list-tests failed:\n%s"
                             % (self.exe, result.stderr))
        return [normalize(line.strip()) for line in result.stdout.splitlines()
                if line.strip().startswith(("test_", "test."))]


def normalize(name):
    """A regrtest module name without the "test." package prefix, the form
    the curated list, the expectations and the report use."""
    return name[len("test."):] if name.startswith("test.") else name


def selector_matches(selector, interpreter):
    """Whether an expectation's python selector names `interpreter`.

    "3.12" matches every 3.12.x; "3.11.7" that release; "3.11-debian" or
    "3.11.2-debian" Debian's build only; "*" everything. A selector without a
    flavour matches every flavour."""
    if selector == "*":
        return True
    version, _, flavour = selector.partition("-")
    if flavour and flavour != interpreter.flavour:
        return False
    wanted = version.split(".")
    return interpreter.version.split(".")[: len(wanted)] == wanted
