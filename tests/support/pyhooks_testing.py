"""Helpers shared by the Python test suites (tests/python, tests/reliability).

The suites run once per interpreter (tests/CMakeLists.txt), with the staged
package and this directory importable and the paths of the test plugins in
the environment.
"""

import ctypes
import os
import subprocess
import sys
import textwrap

PLUGIN_DIR = os.environ["PYHOOKS_TEST_PLUGIN_DIR"]
EXT_DIR = os.environ.get("PYHOOKS_TEST_EXT_DIR", "")
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON", sys.executable)


def plugin(variant):
    """Path of a test plugin library (tests/plugins/test_plugin.c)."""
    return os.path.join(PLUGIN_DIR, "pyhooks_test_%s.so" % variant)


def take_events(variant="recorder"):
    """The recorder library's log since the last call, as a list of lines.

    This function's own frames may be logged while it runs (when the
    recorder watches every file), so the buffer gets headroom and the copy
    is retried until it fits."""
    library = ctypes.CDLL(plugin(variant))
    take = library.pyhooks_test_take_events
    take.restype = ctypes.c_size_t
    take.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    while True:
        size = take(None, 0) + 65536
        buffer = ctypes.create_string_buffer(size)
        if take(buffer, size) < size:
            return buffer.value.decode().splitlines()


def run_python(source, env=None, timeout=120):
    """Runs `source` in a fresh interpreter (the one under test); returns
    the CompletedProcess with text output."""
    environment = dict(os.environ)
    # The child imports this module too.
    here = os.path.dirname(os.path.abspath(__file__))
    environment["PYTHONPATH"] = os.pathsep.join(
        [here] + [p for p in environment.get("PYTHONPATH", "").split(
            os.pathsep) if p])
    if env:
        environment.update(env)
    return subprocess.run([PYTHON, "-c", textwrap.dedent(source)],
                          env=environment, capture_output=True, text=True,
                          timeout=timeout)


def header():
    return "pyhooks tests on CPython %s (%s)" % (
        sys.version.split()[0], sys.executable)


def eval_frame_is_cpythons():
    """True when this interpreter's PEP 523 slot holds CPython's own
    evaluator: asked of CPython itself (_PyInterpreterState_GetEvalFrameFunc,
    exported since 3.11), not of pyhooks' counters."""
    api = ctypes.pythonapi
    api.PyInterpreterState_Get.restype = ctypes.c_void_p
    api._PyInterpreterState_GetEvalFrameFunc.restype = ctypes.c_void_p
    api._PyInterpreterState_GetEvalFrameFunc.argtypes = [ctypes.c_void_p]
    current = api._PyInterpreterState_GetEvalFrameFunc(
        api.PyInterpreterState_Get())
    default = ctypes.cast(api._PyEval_EvalFrameDefault, ctypes.c_void_p).value
    return current == default


def monitoring_tools():
    """{tool id: name} of every sys.monitoring tool in use (3.12+; {} before)."""
    monitoring = getattr(sys, "monitoring", None)
    if monitoring is None:
        return {}
    return {tool: monitoring.get_tool(tool) for tool in range(6)
            if monitoring.get_tool(tool) is not None}
