"""`python -m pyhooks` and the `pyhooks` console script of a wheel: run the
pyhooks CLI of this installation, with this interpreter as the one
`pyhooks run` starts unless --python or the configuration names another.

The CLI is bin/pyhooks of the installed tree this package belongs to: inside
the package in a wheel's layout, four levels up in `make build`'s
(lib/pyhooks/python/pyhooks).
"""

import os
import sys


def _cli():
    here = os.path.dirname(os.path.abspath(__file__))
    for root in (here, os.path.join(here, "..", "..", "..", "..")):
        candidate = os.path.normpath(os.path.join(root, "bin", "pyhooks"))
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def main():
    cli = _cli()
    if cli is None:
        sys.stderr.write("pyhooks: error: this installation has no pyhooks "
                         "command next to the package (%s); reinstall it\n"
                         % os.path.dirname(os.path.abspath(__file__)))
        return 2
    os.environ.setdefault("PYHOOKS_PYTHON", sys.executable)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(cli, ["pyhooks"] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
