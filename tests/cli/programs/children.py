"""Reports, as JSON, which pyhooks plugins are active in this process, in a
subprocess, and in multiprocessing pools started with fork and spawn, and
that the recorder really sees calls in each of them."""
import ctypes
import json
import multiprocessing
import os
import subprocess
import sys


def marker():
    return os.getpid()


def report(_=None):
    try:
        import pyhooks
    except ImportError:
        return {"pid": os.getpid(), "active": [], "saw_call": False}
    active = [p for p in pyhooks.chain() if p["state"] == "active"]
    saw_call = False
    for plugin in active:
        if plugin["name"] == "recorder":
            take = ctypes.CDLL(plugin["library"]).pyhooks_test_take_events
            take.restype = ctypes.c_size_t
            buffer = ctypes.create_string_buffer(1 << 21)
            take(buffer, len(buffer))  # clears the log
            marker()
            take(buffer, len(buffer))
            saw_call = "start marker" in buffer.value.decode().splitlines()
    return {"pid": os.getpid(), "active": [p["name"] for p in active],
            "saw_call": saw_call}


if __name__ == "__main__":
    result = {"main": report()}
    here = os.path.dirname(os.path.abspath(__file__))
    child = subprocess.run(
        [sys.executable, "-c", "import json, children; print(json.dumps(children.report()))"],
        cwd=here, stdout=subprocess.PIPE, text=True, check=True)
    result["subprocess"] = json.loads(child.stdout)
    for method in ("fork", "spawn"):
        with multiprocessing.get_context(method).Pool(1) as pool:
            result[method] = pool.map(report, [0])[0]
    print(json.dumps(result))
