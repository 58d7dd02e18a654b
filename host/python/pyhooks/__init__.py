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
import os as _os

from . import _host
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
    "PluginError",
    "chain",
    "configure",
    "counters",
    "disable",
    "enable",
    "event_source",
    "load",
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


# Plugins are shut down after the program's own atexit handlers (atexit runs
# handlers last-registered-first, and this module is imported early), and
# after non-daemon threads have been joined.
_atexit.register(_host.shutdown)
if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(after_in_child=_host._after_fork_child)
