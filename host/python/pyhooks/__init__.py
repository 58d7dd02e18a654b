"""pyhooks: one owner for CPython's frame-evaluation hook, chaining plugins.

In-process use::

    import pyhooks
    pyhooks.load("profiler", options={"output": "run.prof"})
    ...
    print(pyhooks.chain())      # the effective chain, outermost first
    print(pyhooks.counters())   # frames and events seen, per plugin

Plugins are shared objects built against pyhooks/plugin.h; they are found by
name in the plugin search path (``pyhooks.search_path()``) or loaded by path.
Every plugin is shut down at interpreter exit, in reverse chain order.
"""

import atexit as _atexit
import contextlib as _contextlib
import os as _os
import sys as _sys

_SUPPORTED = ((3, 11), (3, 12), (3, 13))
if _sys.implementation.name != "cpython" or _sys.version_info[:2] not in _SUPPORTED:
    raise ImportError(
        "pyhooks supports CPython 3.11, 3.12 and 3.13; this is %s %d.%d.%d (%s)"
        % (({"cpython": "CPython"}.get(_sys.implementation.name,
                                       _sys.implementation.name),)
           + tuple(_sys.version_info[:3])
           + (_sys.executable,)),
        name=__name__)

try:
    from . import _host
except ImportError as _error:
    if getattr(_error, "name", None) not in (__name__ + "._host", None):
        raise
    raise ImportError(
        "this pyhooks installation has no host module for CPython %d.%d "
        "(%s); rebuild pyhooks with this interpreter (make build PYTHONS=%s)"
        % (_sys.version_info[0], _sys.version_info[1], _os.path.dirname(__file__),
           _sys.executable),
        name=__name__) from None
from ._host import (  # noqa: F401  (re-exported API)
    PluginError,
    abi_major,
    abi_minor,
    chain,
    configure,
    counters,
    disable,
    enable,
    event_source,
    python_build_tag,
    search_path,
    set_event_source,
    set_strict,
    shutdown,
    unload,
    version,
)

__version__ = version
__all__ = [
    "DISABLE",
    "PluginError",
    "chain",
    "configure",
    "counters",
    "disable",
    "enable",
    "event_source",
    "load",
    "load_python",
    "profile",
    "search_path",
    "set_event_source",
    "set_strict",
    "shutdown",
    "unload",
]


def load(target, *, name=None, priority=None, options=None, required=True,
         plugin_path=None):
    """Activate one plugin.

    ``target`` is a plugin name (searched in ``search_path()``) or the path of
    a plugin library; ``name`` picks one plugin of a library that holds
    several. ``options`` is a dict checked against the plugin's declared
    options. With ``required=False`` a plugin that cannot be loaded is
    reported and skipped instead of raising PluginError.
    """
    _host.load(target, name=name, priority=priority, options=options,
               required=required, plugin_path=plugin_path)


class _Disable:
    """The type of DISABLE (one instance)."""

    __slots__ = ()

    def __repr__(self):
        return "pyhooks.DISABLE"

    def __reduce__(self):
        return "DISABLE"


DISABLE = _Disable()
"""Returned by a method of a Python plugin (load_python, or ``python =`` in
pyhooks.toml): that plugin receives no more events for this code object, as
a C plugin's PYHOOKS_DISABLE (docs/plugin-authoring.md, "Prototyping in
Python")."""


def load_python(target, *, name=None, priority=None, options=None,
                required=True):
    """Activate an observer written in Python: ``target`` is "module:Class".

    The bridge plugin (``python``) imports the module, makes
    ``Class(**options)`` and calls its ``on_start(code, thread_id)``,
    ``on_return(code, thread_id, value)``, ... methods; only the methods the
    class defines are subscribed. ``name`` is the name it runs under in the
    chain (default: the class name in lower case); ``options`` must be
    JSON-serialisable (strings, numbers, booleans, lists), as in pyhooks.toml.
    """
    import json
    import re
    if not isinstance(target, str):
        raise TypeError("load_python(): target must be a \"module:Class\" "
                        "string, not %s" % type(target).__name__)
    if name is None:
        name = target.rpartition(":")[2].rpartition(".")[2].lower() or "python"
    if not re.fullmatch(r"[a-z0-9_][a-z0-9_.-]{0,63}", name):
        raise ValueError("load_python(): %r is not a valid plugin name (use "
                         "1-64 of a-z 0-9 _ - ., not starting with - or .)"
                         % (name,))
    bridge_options = {"class": target,
                      "options": json.dumps(dict(options or {})),
                      "origin": "pyhooks.load_python(%r)" % (target,)}
    _host.configure([{"target": "python", "as": name, "priority": priority,
                      "options": bridge_options, "required": required}])


class profile(_contextlib.ContextDecorator):
    """Profile a block, or every call of a function, with the profiler plugin.

        with pyhooks.profile(output="part.prof", summary=10):
            work()

        @pyhooks.profile(svg="handler.svg")
        def handler(request): ...

    ``options`` are the profiler's (docs/profiler.md, "Options"). The
    profiler starts at the block's first line and writes its files and
    summary as the block ends (without ``output``/``svg``/``speedscope``,
    to pyhooks-profile/run-N.* as under ``pyhooks run``); each block, or
    each outermost call of a decorated function, is one profile. Raises
    PluginError when the profiler is already active (for example under
    ``pyhooks run -p profiler``): one profiler per process.
    """

    def __init__(self, **options):
        self.options = options
        self._depth = 0  # a decorated function calling itself is one profile

    def __enter__(self):
        if self._depth == 0:
            if any(link["name"] == "profiler" and link["state"] != "shut down"
                   for link in chain()):
                raise PluginError(
                    "pyhooks.profile(): the profiler is already active in "
                    "this process (pyhooks run -p profiler, a configuration "
                    "or pyhooks.load); its profile covers this block already")
            load("profiler", options=self.options)
        self._depth += 1
        return self

    def __exit__(self, *exc):
        self._depth -= 1
        if self._depth == 0:
            unload("profiler")
        return False


def load_ipython_extension(ipython):
    """``%load_ext pyhooks``: the %pyhooks / %%pyhooks magics
    (pyhooks.ipython)."""
    from . import ipython as _ipython
    _ipython.load_ipython_extension(ipython)


# Plugins are shut down after the program's own atexit handlers (atexit runs
# handlers last-registered-first, and this module is imported early), and
# after non-daemon threads have been joined.
_atexit.register(_host.shutdown)

# multiprocessing's forked workers end with os._exit(), which skips atexit;
# they run multiprocessing's own finalizers first, so plugins are shut down
# there (last, after the worker's other finalizers), and write their results.
_finalizer_registered = False


def _shut_down_in_worker(host):
    import multiprocessing.util as util
    util.Finalize(None, host.shutdown, exitpriority=-100)


def _before_fork():
    global _finalizer_registered
    util = _sys.modules.get("multiprocessing.util")
    if util is not None and not _finalizer_registered:
        util.register_after_fork(_host, _shut_down_in_worker)
        _finalizer_registered = True


if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(before=_before_fork,
                         after_in_child=_host._after_fork_child)
