"""Finding an interpreter with a third-party front end (pytest, IPython)
for the pytest-plugin and IPython-magic tests.

The pyenv interpreters of the matrix have neither; Debian's python3.11 has
both (python3-pytest, ipython3: tools/install-deps.sh). A test runs on the
interpreter under test when it has the module; else, when that is Debian's
own minor, on /usr/bin/python3.X; else with Debian's pure-Python packages
(/usr/lib/python3/dist-packages) appended to the end of sys.path, when the
module imports so (pytest 7.2 and IPython 8.5 do on 3.12 and 3.13); else
the test is skipped, saying why."""

import os
import subprocess
import tempfile

from profiler_support import PYTHON

DEBIAN_PACKAGES = "/usr/lib/python3/dist-packages"


class FrontEnd:
    """How to run `module`: `python`, with `path` appended to sys.path by
    the child's `prologue`; `python` is None when nothing has it (`why`)."""

    def __init__(self, python=None, path=(), why=None):
        self.python, self.path, self.why = python, list(path), why

    def prologue(self):
        return "import sys; sys.path.extend(%r)\n" % (self.path,)

    def environment(self, scratch):
        """The child's environment: pyhooks importable (the test's
        PYTHONPATH), no user configuration of pytest or IPython (IPython's
        profile directory is made in `scratch`). Borrowed packages get
        their bytecode cached under the temporary directory (Debian's
        directory holds 3.11's only), or every run would compile them."""
        env = dict(os.environ)
        env.pop("PYTEST_ADDOPTS", None)
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        env["IPYTHONDIR"] = os.path.join(scratch, "ipython")
        if self.path:
            env["PYTHONPYCACHEPREFIX"] = os.path.join(
                tempfile.gettempdir(),
                "pyhooks-tests-pycache-%d" % os.getuid())
        return env


def _imports(exe, module, path):
    code = "import sys; sys.path.extend(%r); import %s" % (list(path), module)
    return subprocess.run([exe, "-c", code], capture_output=True,
                          timeout=60).returncode == 0


def front_end(module):
    minor = subprocess.run(
        [PYTHON, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        capture_output=True, text=True, timeout=60).stdout.strip()
    if _imports(PYTHON, module, ()):
        return FrontEnd(PYTHON)
    system = "/usr/bin/python%s" % minor
    if os.path.exists(system) and _imports(system, module, ()):
        return FrontEnd(system)
    if os.path.isdir(DEBIAN_PACKAGES) and _imports(PYTHON, module,
                                                   [DEBIAN_PACKAGES]):
        return FrontEnd(PYTHON, [DEBIAN_PACKAGES])
    return FrontEnd(why="%s is not installed for %s, nor importable from %s "
                    "(Debian's python3-pytest and ipython3 provide both)"
                    % (module, PYTHON, DEBIAN_PACKAGES))
