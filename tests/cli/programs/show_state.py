"""Prints, as JSON, what a program can observe about how it was started.

Run under plain python and under `pyhooks run`; the two outputs must be equal.
"""
import json
import os
import pickle
import sys


class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __eq__(self, other):
        return (self.x, self.y) == (other.x, other.y)


def state():
    main = sys.modules["__main__"]
    site_custom = sys.modules.get("sitecustomize")
    spec = getattr(main, "__spec__", None)
    copy = pickle.loads(pickle.dumps(Point(1, 2)))
    return {
        "argv": sys.argv,
        "orig_argv": getattr(sys, "orig_argv", None),
        "executable": sys.executable,
        "path": sys.path,
        "name": __name__,
        "main_file": getattr(main, "__file__", None),
        "spec": spec.name if spec else None,
        "pickle": [copy == Point(1, 2), type(copy).__module__],
        "sitecustomize": getattr(site_custom, "__file__", None),
        "cwd": os.getcwd(),
        "flags": [sys.flags.no_site, sys.flags.isolated, sys.flags.ignore_environment],
        "stdin_tty": sys.stdin.isatty(),
    }


if __name__ == "__main__":
    print(json.dumps(state(), sort_keys=True))
