"""pyhooks run's start-up module: activates the plugins before the program.

libpyhooks_boot.so (cli/boot/boot.h), which `pyhooks run` preloads, imports
this module from its own directory at Python's first "cpython.run_*" audit
event - after site, sitecustomize and usercustomize, immediately before the
program's first line - and calls start(event, args). It

1. takes its own directory off sys.path again, imports pyhooks from the
   package directory next to it and takes that off too, so that sys.path is
   exactly what plain python built;
2. does nothing more if Python is about to refuse the program (a script it
   cannot open, a module it cannot find): a program that never starts gets
   no plugins, so no profile and no output after Python's own message;
3. with --no-children, restores the environment so that new interpreters
   run plain (and disables the plugins in forked children);
4. activates the plugins with pyhooks.configure(). If that fails in the
   program's own process, it prints one line and exits with status 2 before
   the program's first line; a child process reports it and runs plain.

Nothing here depends on site or PYTHONPATH, so -I, -E, -S and a user's
sitecustomize that raises change nothing. See docs/cli.md, "How pyhooks run
works".
"""

import os
import sys

_SPEC_VARIABLE = "PYHOOKS_RUN_SPEC"
_PRELOAD_VARIABLE = "LD_PRELOAD"
_LIBRARY = "libpyhooks_boot.so"


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


def _take_off_path(entry):
    """Removes the entry put at sys.path[0] for an import, and what the
    import cached for it unless the user's own sys.path names it too."""
    if sys.path and sys.path[0] == entry:
        del sys.path[0]
    if entry not in sys.path:
        sys.path_importer_cache.pop(entry, None)


def _import_pyhooks(package_dir):
    sys.path.insert(0, package_dir)
    try:
        import pyhooks
    finally:
        _take_off_path(package_dir)
    return pyhooks


def _program_starts(event, args):
    """False when Python will refuse to run the program."""
    if event == "cpython.run_file":
        try:
            with open(args[0], "rb"):
                return True
        except OSError:
            return False
    if event == "cpython.run_module":
        top = str(args[0]).partition(".")[0]
        if not top or top in sys.modules:
            return True
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            try:
                if find_spec is not None and find_spec(top, None) is not None:
                    return True
            except Exception:  # let Python itself report what is wrong
                return True
        return False
    return True


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


def _without_library(preload, library):
    """LD_PRELOAD without this library (entries are separated by ':' or
    spaces)."""
    kept = [entry for entry in preload.replace(" ", ":").split(":")
            if entry and entry != library]
    return ":".join(kept)


def _keep_children_plain(library, pyhooks):
    preload = _without_library(os.environ.get(_PRELOAD_VARIABLE, ""), library)
    if preload:
        os.environ[_PRELOAD_VARIABLE] = preload
    else:
        os.environ.pop(_PRELOAD_VARIABLE, None)
    os.environ.pop(_SPEC_VARIABLE, None)
    if pyhooks is None or not hasattr(os, "register_at_fork"):
        return

    def disable_in_child():
        for plugin in pyhooks.chain():
            if plugin["state"] == "active":
                pyhooks.disable(plugin["name"])

    os.register_at_fork(after_in_child=disable_in_child)


def _boot(event, args):
    here = os.path.dirname(os.path.abspath(__file__))
    _take_off_path(here)
    text = os.environ.get(_SPEC_VARIABLE)
    if text is None:
        return
    if sys.version_info[:2] not in ((3, 11), (3, 12), (3, 13)):
        # pyhooks run checked the program's interpreter: this is a child
        # that runs another one.
        _fail(False, "Python %d.%d is not supported (CPython 3.11-3.13)"
              % sys.version_info[:2])
        return
    try:
        spec = _decode(text)
        in_program = spec["pid"] == os.getpid()
    except Exception as error:
        _fail(False, "$%s is not valid (%s)" % (_SPEC_VARIABLE, error))
        return
    library = os.path.join(here, _LIBRARY)
    if not _program_starts(event, args):
        if not spec["children"]:
            _keep_children_plain(library, None)
        return
    pyhooks = None
    if spec["plugins"]:
        try:
            pyhooks = _import_pyhooks(os.path.join(os.path.dirname(here), "python"))
        except ImportError as error:
            _fail(in_program, error)
    if not spec["children"]:
        _keep_children_plain(library, pyhooks)
    if pyhooks is not None:
        try:
            _configure(pyhooks, spec)
        except Exception as error:  # PluginError, ValueError
            _fail(in_program, error)


def start(event, args):
    """Called once by libpyhooks_boot.so; leaves nothing of itself behind."""
    try:
        _boot(event, args)
    finally:
        sys.modules.pop(__name__, None)
