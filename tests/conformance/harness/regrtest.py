"""One run of CPython's regression suite (`python -m test`, libregrtest),
plain or under `pyhooks run`, and what it found: each module's status from
regrtest's progress lines, each test case's outcome from its JUnit XML."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from .interpreter import normalize

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Copied into the work directory, which becomes regrtest's --testdir (so
# that its __pycache__ is not written into the source tree).
SANITY_SOURCE = os.path.join(HERE, "sanity", "test_pyhooks_sanity.py")
SANITY_MODULE = "test_pyhooks_sanity"

# "0:01:08 load avg: 2.83 [ 80/110/1] test_asyncio.test_pep492 passed"
_PROGRESS = re.compile(
    r"^(?:\d+:\d\d:\d\d )?(?:load avg: [\d.]+ )?"
    r"\[\s*\d+/\d+(?:/\d+)?\] (?P<name>\S+) (?P<text>.+)$")
# " -- running: test_y (31.0 sec)", " -- running (2): ...": other workers.
_RUNNING = re.compile(r" -- running\b.*$")
# " (1 min 24 sec)" after a status: how long the module took.
_DURATION = re.compile(r" \((?:[\d.]+ (?:hours?|min|sec|ms) ?)+\)$")

# Module statuses, from regrtest's wording (3.11.2 and 3.11.7+ differ).
_STATUSES = (
    ("failed (env changed)", "env-changed"),
    ("failed", "failed"),
    ("skipped (resource denied)", "resource-denied"),
    ("skipped", "skipped"),
    ("passed", "passed"),
    ("ran no tests", "no-tests"),
    ("run no tests", "no-tests"),
    ("timed out", "timeout"),
    ("crashed", "crashed"),
    ("worker non-zero exit code", "crashed"),
    ("worker bug", "crashed"),
    ("interrupted", "interrupted"),
)

# Test-case outcomes, from the JUnit element's children (most severe first).
_OUTCOMES = (("error", "error"), ("failure", "failure"),
             ("skipped", "skipped"), ("outcome", "unexpected-success"),
             ("output", "expected-failure"))


class ModuleResult:
    """`status` (passed, failed, env-changed, skipped, resource-denied,
    no-tests, timeout, crashed, interrupted, missing), `detail` (regrtest's
    words), `cases` {test id: outcome}, `messages` {test id: first line}."""

    def __init__(self, name, status="missing", detail="did not run"):
        self.name = name
        self.status = status
        self.detail = detail
        self.cases = {}
        self.messages = {}

    def summary(self):
        """"passed (41)", "failed (1 error) (68)": status and cases run."""
        text = self.detail if self.status != "passed" else "passed"
        if self.cases:
            text += " (%d)" % len(self.cases)
        return text


class Run:
    """A finished regrtest run: `mode`, `modules` {name: ModuleResult},
    `returncode`, `seconds`, `log` (its whole output), `unattributed`
    (JUnit test cases of no module in the run)."""

    def __init__(self, mode, names):
        self.mode = mode
        self.modules = {name: ModuleResult(name) for name in names}
        self.returncode = None
        self.seconds = 0.0
        self.log = None
        self.unattributed = 0
        self.order = []  # modules in the order of their progress lines


def command(mode, settings, interpreter, names, junit):
    """The argv of one run. Both modes run the same regrtest command line;
    the pyhooks mode prefixes it with `pyhooks run`, which execs the same
    interpreter with it."""
    args = ["-m", "test", "--testdir", settings.sanity_dir,
            "-j", str(settings.jobs),
            "--timeout", str(settings.timeout),
            "--randseed", str(settings.randseed), "--junit-xml", junit]
    use = [r for r in settings.use if r.lstrip("-") in interpreter.resources]
    if use:
        args += ["-u", ",".join(use)]
    # "test." + name: with --testdir, regrtest imports names as given.
    args += [SANITY_MODULE] + ["test." + name for name in names]
    if mode == "plain":
        return [interpreter.exe, *args]
    return [os.path.join(settings.stage, "bin", "pyhooks"), "run",
            "--config", settings.plugins, "--python", interpreter.exe, *args]


def run(mode, settings, interpreter, names, env, directory, echo=False):
    """Runs regrtest over `names` (plus the sanity module) in `directory`
    (its log, JUnit file, run.json and an empty current directory) and
    returns what it found (read())."""
    os.makedirs(directory, exist_ok=True)
    junit = os.path.join(directory, "junit.xml")
    if os.path.exists(junit):
        os.unlink(junit)
    argv = command(mode, settings, interpreter, names, junit)
    cwd = os.path.join(directory, "cwd")  # empty: `-m` puts it on sys.path
    os.makedirs(cwd, exist_ok=True)
    start = time.monotonic()
    with open(os.path.join(directory, "regrtest.log"), "w") as log:
        log.write("$ %s\n" % " ".join(argv))
        log.flush()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            errors="backslashreplace", start_new_session=True)
        try:
            for line in process.stdout:
                log.write(line)
                if echo and _PROGRESS.match(line):
                    print("  [%s] %s" % (mode, line.rstrip("\n")), flush=True)
            returncode = process.wait()
        except BaseException:  # Ctrl-C: stop regrtest and its workers too
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    with open(os.path.join(directory, "run.json"), "w") as out:
        json.dump({"mode": mode, "names": names, "returncode": returncode,
                   "seconds": time.monotonic() - start}, out)
    return read(directory)


def read(directory):
    """The Run that run() left in `directory`: statuses from its log, test
    cases from its JUnit file."""
    with open(os.path.join(directory, "run.json")) as source:
        facts = json.load(source)
    result = Run(facts["mode"], [SANITY_MODULE, *facts["names"]])
    result.returncode = facts["returncode"]
    result.seconds = facts["seconds"]
    result.log = os.path.join(directory, "regrtest.log")
    with open(result.log, errors="backslashreplace") as log:
        for line in log:
            _take_progress(result, line.rstrip("\n"))
    junit = os.path.join(directory, "junit.xml")
    if os.path.exists(junit):
        _take_junit(result, junit)
    return result


def _take_progress(result, line):
    match = _PROGRESS.match(line)
    if not match:
        return False
    name = normalize(match["name"])
    module = result.modules.get(name)
    if module is None:
        return False
    if name not in result.order:
        result.order.append(name)
    text = _DURATION.sub("", _RUNNING.sub("", match["text"]).strip())
    for prefix, status in _STATUSES:
        if text.startswith(prefix):
            module.status = status
            break
    else:
        module.status = "unknown"
    module.detail = text
    return True


def _outcome(case):
    for tag, outcome in _OUTCOMES:
        element = case.find(tag)
        if element is not None:
            message = element.get("message") or element.text or ""
            lines = [l for l in message.strip().splitlines() if l.strip()]
            return outcome, (lines[0].strip() if lines else "")
    return "passed", ""


def _module_of(test_id, names):
    """The run's module a test id belongs to: the longest name such that
    the id is "test.<name>" or "test.<name>.<rest>" (without "test." for
    the sanity module)."""
    best = None
    for name in names:
        for module in ("test." + name, name):
            if (test_id == module or test_id.startswith(module + ".")) and (
                    best is None or len(name) > len(best)):
                best = name
    return best


# Statuses of modules that leave test cases in the JUnit file.
_WITH_CASES = ("passed", "failed", "env-changed")


def _take_junit(result, path):
    """Gives each JUnit test case to its module.

    regrtest writes each module's suites together, in the order of its
    progress lines. A suite whose test ids name a module of the run is that
    module's. Other suites (test_datetime runs test.datetimetester's tests;
    test_trace runs test_pprint's inside its own, and that suite ends first)
    belong to the next module in progress order that has test cases."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        print("conformance: unreadable JUnit file %s: %s" % (path, error),
              file=sys.stderr)
        return
    names = list(result.modules)
    order = [name for name in result.order
             if result.modules[name].status in _WITH_CASES]
    position = -1  # in `order`, of the module whose suites came last
    pending = []   # suites that named no module
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        owner = None
        for case in cases:
            owner = _module_of(case.get("name", ""), names)
            if owner:
                break
        if owner is None:
            pending += cases
            continue
        if pending:
            here = order.index(owner) if owner in order else None
            if here is None or here <= position + 1:
                _give(result.modules[owner], pending)
            else:  # modules were passed over: the next one ran them
                _give(result.modules[order[position + 1]], pending)
            pending = []
        if owner in order:
            position = max(position, order.index(owner))
        _give(result.modules[owner], cases)
    if pending and position + 1 < len(order):
        _give(result.modules[order[position + 1]], pending)
    elif pending:
        result.unattributed = len(pending)


def _give(module, cases):
    for case in cases:
        test_id = case.get("name", "?")
        outcome, message = _outcome(case)
        # The same id twice (repeated subtest descriptions): keep every
        # outcome, in order.
        if test_id in module.cases:
            module.cases[test_id] += "," + outcome
        else:
            module.cases[test_id] = outcome
        if message:
            module.messages.setdefault(test_id, message)
