"""Plugins active for a stretch of a program: a pytest session, an IPython
cell. Shared by pyhooks.pytest and pyhooks.ipython so both read plugin names
and `PLUGIN.KEY=VALUE` options the way `pyhooks run -p/-o` does."""

import pyhooks


class SessionError(Exception):
    """Bad plugin names or options, or a plugin that would not load: one line
    that names what was wrong, for the front end to report as a usage error."""


def split_names(values):
    """["profiler,tracer", "jit"] -> ["profiler", "tracer", "jit"]."""
    names = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return names


def parse_options(specs, names, flag):
    """["profiler.summary=5", ...] -> {"profiler": {"summary": "5"}}.

    Values stay text: the host converts them against each plugin's declared
    options exactly as it does for `pyhooks run -o` (lists comma-separated).
    `flag` names the option in messages (`--pyhooks-option`, `-o`)."""
    options = {}
    for spec in specs:
        plugin, dot, rest = spec.partition(".")
        key, equals, value = rest.partition("=")
        if not (dot and equals and plugin and key):
            raise SessionError(
                "%s %r: expected PLUGIN.KEY=VALUE, for example "
                "profiler.summary=10" % (flag, spec))
        if plugin not in names:
            raise SessionError(
                "%s %r: plugin %r is not among the plugins asked for (%s)"
                % (flag, spec, plugin, ", ".join(names) or "none"))
        options.setdefault(plugin, {})[key] = value
    return options


class PluginSession:
    """Loads the named plugins on start() and unloads them, last first, on
    stop() (the profiler writes its files and prints its summary then)."""

    def __init__(self, names, options):
        self.names = list(names)
        self.options = options
        self.loaded = []

    def start(self):
        # (A plugin that failed earlier is listed too, as "failed": it can
        # be asked for again.)
        active = {link["name"] for link in pyhooks.chain()
                  if link["state"] in ("active", "disabled")}
        for name in self.names:
            if name in active:
                raise SessionError(
                    "plugin %r is already active in this process (pyhooks "
                    "run -p %s, a configuration or pyhooks.load): it is not "
                    "loaded a second time" % (name, name))
        try:
            # configure() is all or nothing: with one name unknown or one
            # option refused, no plugin is loaded and none writes a file.
            pyhooks.configure([{"target": name,
                                "options": self.options.get(name)}
                               for name in self.names])
        except (pyhooks.PluginError, ValueError) as error:
            raise SessionError(str(error)) from None
        self.loaded = list(self.names)

    def stop(self):
        # (Code that must keep pyhooks' own frames out of the profile being
        # finished runs this loop inline, as the IPython magic does.)
        while self.loaded:
            pyhooks.unload(self.loaded.pop())
