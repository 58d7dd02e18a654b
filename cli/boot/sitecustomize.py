"""pyhooks run's start-up hook: activates plugins before a program's first line.

`pyhooks run` puts the directory of this file (lib/pyhooks/boot) and the
pyhooks package directory first on PYTHONPATH, describes the checked plugin
selection in $PYHOOKS_RUN_SPEC (JSON) and execs the interpreter with the
user's own command line. Python imports this module while `site` starts up,
before the program runs. It

1. imports pyhooks, then gives sys.path back the entries plain python
   would have had;
2. with --no-children, restores the environment so that new interpreters
   run plain (and disables the plugins in forked children);
3. imports the sitecustomize module this one hid (Debian ships one), so that
   sys.modules["sitecustomize"] ends up as it would without pyhooks;
4. activates the plugins with pyhooks.configure(), last, so that they see
   as little start-up code as possible. If activation fails in the
   program's own process, it prints one line and exits with status 2 before
   the program's first line; a child process reports it and runs plain.

See docs/cli.md, "How pyhooks run works".
"""

import os
import sys

_SPEC_VARIABLE = "PYHOOKS_RUN_SPEC"


def _decode(text):
    """JSON to Python objects without importing json (which would bring re,
    enum, collections and more into every program before its first line)."""
    try:
        import _json
    except ImportError:
        import json

        return json.loads(text)

    class Context:
        strict = True
        object_hook = None
        object_pairs_hook = None
        parse_float = float
        parse_int = int
        parse_constant = float  # NaN, Infinity

    value, end = _json.make_scanner(Context())(text, 0)
    if text[end:].strip():
        raise ValueError("unexpected data after the JSON value")
    return value


def _unique(entries):
    result = []
    for entry in entries:
        if entry not in result:
            result.append(entry)
    return result


def _restore_sys_path(ours, user_pythonpath):
    """Leave sys.path as plain python builds it from the user's PYTHONPATH.

    `ours` are the entries pyhooks run put first on PYTHONPATH. site has
    already made every entry absolute and dropped duplicates, the first
    occurrence winning."""
    user = []
    if user_pythonpath:
        user = _unique(os.path.abspath(p) for p in user_pythonpath.split(os.pathsep))
    with_ours = _unique(ours + user)
    if sys.path[: len(with_ours)] == with_ours:
        sys.path[: len(with_ours)] = user
    else:  # something else edited sys.path first (a .pth file)
        for entry in ours:
            while entry not in user and entry in sys.path:
                sys.path.remove(entry)
    for entry in ours:
        if entry not in user:
            sys.path_importer_cache.pop(entry, None)


def _fail(in_program, error):
    """Report a failure to activate; ends the program's own process."""
    message = (str(error).splitlines() or [type(error).__name__])[0]
    if in_program:
        sys.stderr.write("pyhooks: error: %s\n" % message)
        sys.stderr.flush()
        os._exit(2)
    sys.stderr.write(
        "pyhooks: warning: process %d runs without plugins: %s\n"
        % (os.getpid(), message)
    )
    sys.stderr.flush()


def _configure(pyhooks, spec):
    if spec["event_source"] != "auto":
        pyhooks.set_event_source(spec["event_source"])
    pyhooks.configure(
        plugins=spec["plugins"],
        order=spec["order"],
        plugin_path=spec["plugin_path"],
        strict=spec["strict"],
    )


def _keep_children_plain(spec, pyhooks):
    if spec["pythonpath"] is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = spec["pythonpath"]
    os.environ.pop(_SPEC_VARIABLE, None)
    if pyhooks is None or not hasattr(os, "register_at_fork"):
        return

    def disable_in_child():
        for plugin in pyhooks.chain():
            if plugin["state"] == "active":
                pyhooks.disable(plugin["name"])

    os.register_at_fork(after_in_child=disable_in_child)


def _import_hidden_sitecustomize():
    """Import the sitecustomize plain python would have imported.

    site is importing this module and re-reads sys.modules["sitecustomize"]
    when that import returns, so the real module takes our place. Without
    one, returns the ModuleNotFoundError (name "sitecustomize") to raise at
    the end: site expects and ignores exactly that, and leaves no
    "sitecustomize" in sys.modules, as without pyhooks."""
    del sys.modules["sitecustomize"]
    try:
        import sitecustomize  # noqa: F401
    except ImportError as error:
        if getattr(error, "name", "sitecustomize") != "sitecustomize":
            raise
        return error
    return None


def _boot():
    # <stage>/lib/pyhooks/boot and <stage>/lib/pyhooks/python, first on
    # PYTHONPATH.
    here = os.path.dirname(os.path.abspath(__file__))
    ours = [here, os.path.join(os.path.dirname(here), "python")]
    text = os.environ.get(_SPEC_VARIABLE)
    if text is None:  # PYTHONPATH copied without pyhooks run: stay out
        _restore_sys_path(ours, None)
        return _import_hidden_sitecustomize()
    if sys.version_info[:2] not in ((3, 11), (3, 12), (3, 13)):
        # pyhooks run checked the program's interpreter: this is a child
        # that runs another one.
        _fail(False, "Python %d.%d is not supported (CPython 3.11-3.13)"
              % sys.version_info[:2])
        _restore_sys_path(ours, None)
        return _import_hidden_sitecustomize()
    try:
        spec = _decode(text)
        in_program = spec["pid"] == os.getpid()
    except Exception as error:
        _fail(False, "$%s is not valid (%s)" % (_SPEC_VARIABLE, error))
        _restore_sys_path(ours, None)
        return _import_hidden_sitecustomize()
    pyhooks = None
    if spec["plugins"]:
        try:
            import pyhooks
        except ImportError as error:
            _fail(in_program, error)
    _restore_sys_path(ours, spec["pythonpath"])
    if not spec["children"]:
        _keep_children_plain(spec, pyhooks)
    missing = _import_hidden_sitecustomize()
    if pyhooks is not None:
        try:
            _configure(pyhooks, spec)
        except Exception as error:  # PluginError, ValueError
            _fail(in_program, error)
    return missing


_missing = _boot()
if _missing is not None:
    raise _missing
