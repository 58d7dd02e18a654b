"""The expectations file (tests/conformance/expected.toml): every known
difference between plain python and pyhooks, per CPython, with the reason it
is inherent. Loads and checks it, and matches differences against it."""

import fnmatch
import tomllib

from . import SetupError
from .interpreter import selector_matches

_KEYS = {"python", "module", "tests", "reason", "sometimes"}


class Expectation:
    """One [[difference]] entry: `python` selectors, `module`, `tests`
    (globs over test ids, or None for the whole module), `reason`,
    `sometimes` (timing-dependent: not stale when it does not happen)."""

    def __init__(self, number, table, where):
        self.number = number
        unknown = set(table) - _KEYS
        if unknown:
            raise SetupError("%s: entry %d: unknown key(s) %s (known: %s)"
                             % (where, number, ", ".join(sorted(unknown)),
                                ", ".join(sorted(_KEYS))))
        python = table.get("python")
        if isinstance(python, str):
            python = [python]
        self.python = python
        self.module = table.get("module")
        self.tests = table.get("tests")
        self.reason = table.get("reason", "")
        self.sometimes = table.get("sometimes", False)
        if (not python or not all(isinstance(p, str) and p for p in python)
                or not isinstance(self.module, str) or not self.module
                or not isinstance(self.reason, str) or not self.reason.strip()
                or not isinstance(self.sometimes, bool)
                or (self.tests is not None and (
                    not isinstance(self.tests, list) or not self.tests
                    or not all(isinstance(t, str) and t for t in self.tests)))):
            raise SetupError(
                "%s: entry %d (%s): needs python (a selector or a list), "
                "module, a non-empty reason; tests, if given, a non-empty "
                "list of globs; sometimes, if given, a boolean"
                % (where, number, self.module or "?"))

    def applies(self, interpreter, module):
        return self.module == module and any(
            selector_matches(s, interpreter) for s in self.python)

    def label(self):
        return "entry %d (%s%s)" % (
            self.number, self.module,
            "" if self.tests is None else ": " + ", ".join(self.tests))


def load(path):
    with open(path, "rb") as source:
        try:
            data = tomllib.load(source)
        except tomllib.TOMLDecodeError as error:
            raise SetupError("%s: %s" % (path, error))
    unknown = set(data) - {"difference"}
    if unknown:
        raise SetupError("%s: unknown top-level key(s) %s; entries are "
                         "[[difference]] tables" % (path, ", ".join(unknown)))
    return [Expectation(n, table, path)
            for n, table in enumerate(data.get("difference", []), 1)]


class Match:
    """How a module's difference (possibly none) meets its expectations:
    `explained` (every part of the difference is expected), `reasons` (of
    the entries used), `unexplained` [test ids], `stale` [(entry, what no
    longer differs)]."""

    def __init__(self, difference, entries):
        self.reasons = []
        self.stale = []
        self.unexplained = []
        whole = [e for e in entries if e.tests is None]
        partial = [e for e in entries if e.tests is not None]
        if not difference:
            self.explained = True
            self.stale = [(e, "the module no longer differs")
                          for e in entries if not e.sometimes]
            return
        differing = [test_id for test_id, _, _ in difference.cases]
        used = []
        for entry in partial:
            for pattern in entry.tests:
                hits = [t for t in differing if fnmatch.fnmatchcase(t, pattern)]
                if hits and entry not in used:
                    used.append(entry)
                if not hits and not entry.sometimes:
                    self.stale.append((entry, "%s no longer differs" % pattern))
        if whole:
            self.explained = True
            used = whole + used
        else:
            self.unexplained = [
                t for t in differing
                if not any(fnmatch.fnmatchcase(t, p)
                           for e in partial for p in e.tests)]
            self.explained = (difference.explained_by_cases()
                              and not self.unexplained)
        self.reasons = [e.reason for e in used]
