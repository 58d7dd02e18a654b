"""Running a script under pyhooks plugins in a child process, for every
plugin's tests (profiler, tracer; native_names and jit drive the CLI
themselves).

The child is `python -c BOOT script args`, where BOOT loads each plugin with
pyhooks.load(name, options=...) in the order given and then runs the script
as `python script.py args` would (sys.argv, sys.path[0], __main__). With
`use_cli=True` the child is the staged CLI instead, `pyhooks run --python
PYTHON -p NAME -o NAME.KEY=VALUE ... script args`, so the same tests can
cover it.
"""

import json
import os
import subprocess
import sys

PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
STAGE = os.environ.get("PYHOOKS_STAGE", "")
TIMEOUT = 120
PLUGINS_VARIABLE = "PYHOOKS_TEST_RUN_PLUGINS"

BOOT = r"""
import json, os, runpy, sys
import pyhooks
for name, options in json.loads(os.environ.pop("%s")):
    pyhooks.load(name, options=options)
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(os.path.abspath(sys.argv[0]))
runpy.run_path(sys.argv[0], run_name="__main__")
""" % PLUGINS_VARIABLE


def option_text(value):
    """An option value as `-o name.key=VALUE` spells it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(value)
    return str(value)


def command(script, plugins, args=(), use_cli=False):
    """The child's argv; `plugins` is [(name, {option: value})], outermost
    order as given."""
    if use_cli:
        cmd = [os.path.join(STAGE, "bin", "pyhooks"), "run", "--python",
               PYTHON]
        for name, options in plugins:
            cmd += ["-p", name]
            for key, value in (options or {}).items():
                cmd += ["-o", "%s.%s=%s" % (name, key, option_text(value))]
        return cmd + [str(script), *map(str, args)]
    return [PYTHON, "-c", BOOT, str(script), *map(str, args)]


def plugins_environment(plugins):
    """The environment entry BOOT reads `plugins` from."""
    return {PLUGINS_VARIABLE: json.dumps(
        [[name, options or {}] for name, options in plugins])}


def run_under_plugins(script, plugins, args=(), cwd=None, env=None,
                      use_cli=False, timeout=TIMEOUT):
    """Runs `script` under `plugins` (see command) and returns the
    CompletedProcess, with text output."""
    child_env = dict(os.environ)
    child_env.update(env or {})
    child_env.update(plugins_environment(plugins))
    return subprocess.run(command(script, plugins, args, use_cli),
                          cwd=None if cwd is None else str(cwd),
                          env=child_env, capture_output=True, text=True,
                          timeout=timeout)
