"""tests/conformance/run: runs CPython's regression suite plain and under
`pyhooks run` with every plugin in plugins.toml, compares the results per
module and per test case, and checks every difference against expected.toml.

Exit status: 0 when every difference is expected (or flaky) and no
expectation is stale; 1 otherwise; 2 when the comparison could not be made;
77 when the interpreter has no `test` package.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

from . import SetupError, Skipped, regrtest
from .compare import Difference
from .expectations import Match, load
from .interpreter import Interpreter, normalize
from .report import EXPECTED, FLAKY, SAME, UNEXPECTED, Row, render

HERE = regrtest.HERE
MODES = ("plain", "pyhooks")
# -u for --full: what works offline, without a terminal, and is not hours
# of CPU (leaves out network, urlfetch, curses, cpu, largefile, decimal,
# walltime, tzdata).
FULL_RESOURCES = "subprocess,audio,gui"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="tests/conformance/run",
        description="CPython's regression suite plain and under pyhooks run, "
                    "compared module by module (docs/reliability.md).")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--curated", action="store_true",
                      help="the modules in curated.txt (the default)")
    what.add_argument("--full", action="store_true",
                      help="every module the interpreter ships")
    parser.add_argument("modules", nargs="*", help="only these modules")
    parser.add_argument("--python", default=os.environ.get(
        "PYHOOKS_TEST_PYTHON", sys.executable), help="the interpreter "
        "(default: $PYHOOKS_TEST_PYTHON, else the one running this script)")
    parser.add_argument("--stage", default=os.environ.get("PYHOOKS_STAGE"),
                        help="installed pyhooks tree (default: $PYHOOKS_STAGE)")
    parser.add_argument("--plugin-dir", default=os.environ.get(
        "PYHOOKS_TEST_PLUGIN_DIR"), help="the build's test plugins, for "
        "passthrough_evaluator (default: $PYHOOKS_TEST_PLUGIN_DIR)")
    parser.add_argument("--plugins", default=os.path.join(HERE, "plugins.toml"),
                        help="the plugin set, a pyhooks configuration")
    parser.add_argument("--expectations",
                        default=os.path.join(HERE, "expected.toml"))
    parser.add_argument("--curated-list",
                        default=os.path.join(HERE, "curated.txt"))
    parser.add_argument("--exclude", action="append", default=[],
                        metavar="MODULE", help="leave a module out (repeatable)")
    parser.add_argument("-j", "--jobs", type=int, default=2,
                        help="regrtest worker processes per run (default 2)")
    parser.add_argument("--timeout", type=int, help="regrtest's timeout per "
                        "module, in seconds (default 600; --full 900)")
    parser.add_argument("-u", "--use", help="regrtest resources (default: "
                        "none; --full: %s)" % FULL_RESOURCES)
    parser.add_argument("--retries", type=int, default=2, help="re-runs of a "
                        "module with an unexpected difference, to tell flaky "
                        "tests (default 2)")
    parser.add_argument("--randseed", type=int, default=20231002,
                        help="regrtest's random seed, the same for both runs")
    parser.add_argument("--workdir", help="logs, JUnit files and the report "
                        "(default: a temporary directory, kept on failure)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print regrtest's progress lines as they come")
    parser.add_argument("--report", metavar="WORKDIR", help="print the table "
                        "of an earlier run kept in WORKDIR again, against the "
                        "current expectations, without running anything")
    args = parser.parse_args(argv)
    if args.report:
        return args
    if args.modules and args.curated:
        parser.error("--curated and module names exclude each other")
    if not args.stage or not os.path.isfile(
            os.path.join(args.stage, "bin", "pyhooks")):
        parser.error("--stage (or $PYHOOKS_STAGE) must be an installed pyhooks "
                     "tree (make build); got %r" % args.stage)
    args.stage = os.path.abspath(args.stage)
    args.plugins = os.path.abspath(args.plugins)
    if args.timeout is None:
        args.timeout = 900 if args.full else 600
    if args.use is None:
        args.use = FULL_RESOURCES if args.full else ""
    args.use = [r for r in args.use.split(",") if r]
    return args


def environment(args, workdir):
    """The environment of both runs: the caller's without Python and pyhooks
    settings (the suite runs as from a clean shell), plus the test plugins'
    directory and where the sanity module writes its record."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "PYHOOKS_"))}
    if args.plugin_dir:
        env["PYHOOKS_PLUGIN_PATH"] = os.path.abspath(args.plugin_dir)
    env["PYHOOKS_CONFORMANCE_SANITY"] = os.path.join(workdir, "sanity.json")
    return env


def check_plugins(args, env):
    """`pyhooks check` on the plugin set: its chain, one string a plugin."""
    result = subprocess.run(
        [os.path.join(args.stage, "bin", "pyhooks"), "check",
         "--config", args.plugins], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SetupError("the plugin set %s does not load:\n%s%s"
                         % (args.plugins, result.stdout, result.stderr))
    return [" ".join(line.split()) for line in result.stdout.splitlines()
            if line[:4].strip().rstrip(".").isdigit()]


def select(args, interpreter, env, workdir):
    """(modules to run, curated modules this CPython does not ship)."""
    known = set(interpreter.list_tests(env, workdir))

    def exists(name):
        # "test_asyncio.test_tasks" where 3.11.2 lists "test_asyncio", and
        # "test_inspect" where 3.12 lists "test_inspect.test_inspect".
        parts = name.split(".")
        return (any(".".join(parts[:n]) in known for n in range(1, len(parts) + 1))
                or any(k.startswith(name + ".") for k in known))

    if args.full:
        wanted = sorted(known)
    elif args.modules:
        wanted = [normalize(m) for m in args.modules]
    else:
        with open(args.curated_list) as source:
            wanted = [line.split("#")[0].strip() for line in source]
        wanted = [name for name in wanted if name]
    excluded = {normalize(m) for m in args.exclude}
    names = [n for n in wanted if exists(n) and n not in excluded]
    missing = [n for n in wanted if not exists(n)]
    if args.modules and missing:
        raise SetupError("no such test module in %s: %s"
                         % (interpreter.tag, ", ".join(missing)))
    return names, missing


def check_sanity(run):
    """One line on where the plugins were active; SetupError unless they were
    active in the pyhooks run's worker and absent from the plain run's, as
    the comparison would then mean nothing."""
    module = run.modules[regrtest.SANITY_MODULE]
    path = os.path.join(os.path.dirname(run.log), "sanity.json")
    record = None
    if os.path.exists(path):
        with open(path) as source:
            record = json.load(source)
    problem = None
    if module.status != "passed" or record is None:
        problem = "the sanity module %s: %s" % (module.name, module.detail)
    elif run.mode == "plain" and (record["spec"] or record["pyhooks_imported"]):
        problem = "pyhooks is active in the plain run"
    elif run.mode == "pyhooks" and not record["spec"]:
        problem = "no plugins in the pyhooks run's regrtest worker"
    elif run.mode == "pyhooks" and record["spec"]["pid"] == record["pid"]:
        problem = "the tests ran in the program's own process, not a worker"
    if problem:
        with open(run.log, errors="replace") as log:
            tail = log.read()[-4000:]
        raise SetupError("%s (%s run); its log %s ends:\n%s"
                         % (problem, run.mode, run.log, tail))
    if run.mode == "plain":
        return "sanity: no pyhooks in the plain run's worker (pid %d)" % record["pid"]
    return ("sanity: plugins active in the pyhooks run's worker (pid %d, "
            "program pid %d); 100 calls there reached: %s" % (
                record["pid"], record["spec"]["pid"],
                ", ".join("%s %d times" % item
                          for item in sorted(record["seen"].items()))))


def run_both(args, interpreter, names, env, directory):
    """{mode: regrtest.Run}, plain then pyhooks, in directory/<mode>."""
    runs = {}
    for mode in MODES:
        where = os.path.join(directory, mode)
        runs[mode] = regrtest.run(mode, args, interpreter, names, env, where,
                                  args.verbose)
        record = env["PYHOOKS_CONFORMANCE_SANITY"]
        if os.path.exists(record):
            os.replace(record, os.path.join(where, "sanity.json"))
        check_sanity(runs[mode])  # stop early rather than after both runs
    return runs


def read_both(directory):
    return {mode: regrtest.read(os.path.join(directory, mode)) for mode in MODES}


def compare(names, runs, expectations, interpreter):
    """{module: Row} from the first runs, and the modules to retry."""
    rows, retry = {}, []
    for name in names:
        plain, pyhooks = runs["plain"].modules[name], runs["pyhooks"].modules[name]
        difference = Difference(name, plain, pyhooks)
        match = Match(difference, [e for e in expectations
                                   if e.applies(interpreter, name)])
        if not difference:
            verdict, note = SAME, ""
        elif match.explained:
            verdict, note = EXPECTED, " / ".join(match.reasons)
        else:
            verdict, note = UNEXPECTED, ""
            retry.append(name)
        rows[name] = Row(name, plain, pyhooks, verdict, note, difference,
                         match.stale)
    return rows, retry


def retry_unexpected(rows, retry, retries, expectations, interpreter, again):
    """Modules with an unexpected difference, run again both ways by
    `again(attempt, modules)` (None: no more runs); one that then shows no
    difference, or only expected ones, is flaky. Returns the seconds."""
    seconds = 0.0
    for attempt in range(1, retries + 1):
        runs = again(attempt, retry) if retry else None
        if runs is None:
            break
        seconds += sum(run.seconds for run in runs.values())
        still = []
        for name in retry:
            if name not in runs["plain"].modules:
                still.append(name)
                continue
            difference = Difference(name, runs["plain"].modules[name],
                                    runs["pyhooks"].modules[name])
            match = Match(difference, [e for e in expectations
                                       if e.applies(interpreter, name)])
            if difference and not match.explained:
                still.append(name)
                continue
            rows[name].verdict = FLAKY
            rows[name].note = "%s on retry %d" % (
                "only expected differences" if difference else "no difference",
                attempt)
        retry = still
        for name in retry:
            rows[name].note = "also on %d retr%s" % (
                attempt, "y" if attempt == 1 else "ies")
    return seconds


def conformance(args):
    """A new comparison: both runs, retries, the table."""
    workdir = os.path.abspath(args.workdir or tempfile.mkdtemp(
        prefix="pyhooks-conformance-"))
    if args.workdir and os.path.isdir(workdir):
        shutil.rmtree(workdir)
    os.makedirs(workdir, exist_ok=True)
    env = environment(args, workdir)
    args.sanity_dir = os.path.join(workdir, "sanity")
    os.makedirs(args.sanity_dir, exist_ok=True)
    shutil.copy(regrtest.SANITY_SOURCE, args.sanity_dir)
    interpreter = Interpreter(args.python, env)
    expectations = load(args.expectations)
    chain = check_plugins(args, env)
    names, missing = select(args, interpreter, env, workdir)
    header = [
        "conformance: CPython %s (%s): %d modules, regrtest -j%d --timeout %d%s"
        % (interpreter.tag, interpreter.exe, len(names), args.jobs,
           args.timeout, " -u " + ",".join(args.use) if args.use else ""),
        "plugins (%s): %s" % (_shown(args.plugins), "; ".join(chain)),
    ]
    with open(os.path.join(workdir, "selection.json"), "w") as out:
        json.dump({"interpreter": vars(interpreter), "names": names,
                   "missing": missing, "header": header}, out, indent=1)
    print("\n".join(header), flush=True)
    runs = run_both(args, interpreter, names, env, workdir)

    def again(attempt, modules):
        print("retry %d: %s" % (attempt, " ".join(modules)), flush=True)
        return run_both(args, interpreter, modules, env,
                        os.path.join(workdir, "retry-%d" % attempt))

    failed = report(workdir, header, interpreter, names, missing, runs,
                    expectations, args.retries, again)
    if failed or args.workdir:
        print("logs, JUnit files and this report: %s" % workdir)
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


def report_again(args):
    """The table of an earlier run (--report WORKDIR), against the current
    expectations, without running anything."""
    workdir = os.path.abspath(args.report)
    with open(os.path.join(workdir, "selection.json")) as source:
        selection = json.load(source)
    interpreter = Interpreter.restore(selection["interpreter"])

    def again(attempt, modules):
        directory = os.path.join(workdir, "retry-%d" % attempt)
        return read_both(directory) if os.path.isdir(directory) else None

    failed = report(workdir, selection["header"], interpreter,
                    selection["names"], selection["missing"],
                    read_both(workdir), load(args.expectations),
                    args.retries, again)
    return 1 if failed else 0


def report(workdir, header, interpreter, names, missing, runs, expectations,
           retries, again):
    """Checks the sanity records, compares, retries, prints the table and
    writes it to report.txt; True if the comparison fails."""
    sanity = [check_sanity(runs[mode]) for mode in MODES]
    print("\n".join(sanity), flush=True)
    rows, retry = compare(names, runs, expectations, interpreter)
    seconds = {mode: runs[mode].seconds for mode in MODES}
    seconds["retries"] = retry_unexpected(rows, retry, retries, expectations,
                                          interpreter, again)
    unattributed = sum(run.unattributed for run in runs.values())
    table = render(list(rows.values()), missing, seconds, unattributed)
    with open(os.path.join(workdir, "report.txt"), "w") as out:
        out.write("\n".join(header + sanity + [table]) + "\n")
    print(table)
    return any(r.verdict == UNEXPECTED or r.stale for r in rows.values())


def _shown(path):
    """A path relative to the source tree when it is inside it."""
    root = os.path.dirname(os.path.dirname(HERE))
    inside = os.path.commonpath([root, path]) == root
    return os.path.relpath(path, root) if inside else path


def main(argv=None):
    args = parse_args(argv)
    try:
        return report_again(args) if args.report else conformance(args)
    except Skipped as skipped:
        print("conformance: skipped: %s" % skipped, flush=True)
        return 77
    except SetupError as error:
        print("conformance: error: %s" % error, file=sys.stderr, flush=True)
        return 2
