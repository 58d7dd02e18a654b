#!/usr/bin/env python3
"""Prints the include graph of host/runtime/ (quoted includes only), and the
arrows that run back up to interpreter_host.h from the files InterpreterHost
owns or that dispatch uses (issue 10: sources should depend on a small
dispatch context, not on the host).

Usage: tools/runtime-includes.py [--dot] [repository root]
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
# The host's own files and the Python API over it may include it.
HOST_SIDE = re.compile(r"^(interpreter_host(_\w+)?\.(h|cc)|module\.cc|"
                       r"host_api\.cc|interpreter_registry\.cc)$")


def graph(runtime):
    edges = {}
    for name in sorted(os.listdir(runtime)):
        if not name.endswith((".h", ".cc")):
            continue
        with open(os.path.join(runtime, name), encoding="utf-8") as f:
            targets = [m.group(1) for m in map(INCLUDE.match, f) if m]
        edges[name] = [os.path.normpath(t) for t in targets]
    return edges


def main(argv):
    dot = "--dot" in argv
    args = [a for a in argv if a != "--dot"]
    root = args[0] if args else os.path.join(os.path.dirname(__file__), "..")
    runtime = os.path.join(root, "host", "runtime")
    edges = graph(runtime)
    if dot:
        print("digraph runtime {")
        for source, targets in edges.items():
            for target in targets:
                print('  "%s" -> "%s";' % (source, target))
        print("}")
        return 0
    for source, targets in edges.items():
        print("%-32s -> %s" % (source, ", ".join(targets) or "-"))
    back = [source for source, targets in edges.items()
            if "interpreter_host.h" in targets and not HOST_SIDE.match(source)]
    print()
    print("arrows back up to interpreter_host.h: %d" % len(back))
    for source in back:
        print("  " + source)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
