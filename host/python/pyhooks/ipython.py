"""IPython magics: run a statement or a cell under pyhooks plugins.

    %load_ext pyhooks                    (or %load_ext pyhooks.ipython)
    %pyhooks -p profiler sorted(data)
    %%pyhooks -p profiler -o profiler.summary=10
    work()

The plugins are loaded just before the code runs and unloaded right after
it (the profiler then writes its files, by default pyhooks-profile/run-N.*,
and prints its summary). The value of a last expression is the magic's
value, as with %time. A bad plugin name or option is a UsageError and the
code does not run.
"""

import ast
import re

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class

from ._host import unload
from ._plugin_session import (PluginSession, SessionError, parse_options,
                              split_names)

USAGE = "%pyhooks -p PLUGINS [-o PLUGIN.KEY=VALUE ...] [statement]"

# One leading option: -p/--plugins or -o/--option, its value after a space,
# an `=` or (short forms) nothing, optionally quoted.
_OPTION = re.compile(
    r"""\s*(?P<flag>--plugins|--option|-p|-o)(?:=|\s+|(?<=-[po]))"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<word>[^\s"']+))""")


def parse_line(line):
    """"-p profiler -o profiler.summary=5 f(x)" -> (["profiler"],
    ["profiler.summary=5"], "f(x)"). The statement is the rest of the line
    as written (its quotes and spaces kept)."""
    plugins, options = [], []
    rest = line
    while True:
        match = _OPTION.match(rest)
        if match is None:
            break
        value = next(v for v in match.group("dq", "sq", "word")
                     if v is not None)
        flag = match.group("flag")
        (plugins if flag in ("-p", "--plugins") else options).append(value)
        rest = rest[match.end():]
    rest = rest.strip()
    if rest.startswith("-"):
        raise UsageError("%%pyhooks: unknown option %r (usage: %s)"
                         % (rest.split()[0], USAGE))
    if not plugins:
        raise UsageError("%%pyhooks: which plugins? (usage: %s)" % USAGE)
    return plugins, options, rest


@magics_class
class PyhooksMagics(Magics):
    @line_cell_magic
    def pyhooks(self, line, cell=None):
        """Run a statement (%pyhooks) or the cell (%%pyhooks) under pyhooks
        plugins: %pyhooks -p PLUGINS [-o PLUGIN.KEY=VALUE ...] [statement]"""
        plugins, options, statement = parse_line(line)
        source = cell if cell is not None else statement
        if cell is not None and statement:
            raise UsageError("%pyhooks: the cell is the code; nothing may "
                             "follow the options on the first line")
        if not source.strip():
            raise UsageError("%pyhooks: no statement to run")
        names = split_names(plugins)
        try:
            session = PluginSession(names, parse_options(options, names,
                                                         "-o"))
            code, last = self._compile(source)
            session.start()
        except SessionError as error:
            raise UsageError("%%pyhooks: %s" % error) from None
        namespace = self.shell.user_ns
        try:
            exec(code, namespace)
            return eval(last, namespace) if last is not None else None
        finally:
            # session.stop(), inline: a Python frame of pyhooks' own would
            # be in the cell's profile.
            while session.loaded:
                unload(session.loaded.pop())

    def _compile(self, source):
        """The code as IPython would run it (its own syntax transformed),
        split so that a last expression can be the magic's value."""
        source = self.shell.transform_cell(source)
        try:
            filename = self.shell.compile.cache(source)
        except (AttributeError, TypeError):
            filename = "<pyhooks>"
        tree = self.shell.compile.ast_parse(source, filename=filename)
        tree = self.shell.transform_ast(tree)
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = self.shell.compile(
                ast.Expression(tree.body.pop().value), filename, "eval")
        return self.shell.compile(tree, filename, "exec"), last


def load_ipython_extension(ipython):
    ipython.register_magics(PyhooksMagics)
