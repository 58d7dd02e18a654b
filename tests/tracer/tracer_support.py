"""Helpers for the tracer tests: run a workload under the tracer in a child
process, then decode the trace it wrote into one normalised form for both
formats:

  slices: [{"thread": label, "name": "qualname (file:line)", "begin": ns,
            "end": ns, "depth": n, "parent": name or None, "args": {...},
            "flow": id or None, "flow_role": "start"/"step"/"end"/None}]

The child is `python -c BOOT script args`, where BOOT loads the tracer (and
any other plugins asked for) with pyhooks.load() and runs the script as
`python script.py` would. Perfetto traces are decoded by decode_perfetto.py
under Debian's python3 with python3-protobuf; JSON traces are loaded with
json.load and checked against the Trace Event format's rules here."""

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "workloads"
PYTHON = os.environ.get("PYHOOKS_TEST_PYTHON") or sys.executable
PROTOBUF_PYTHON = os.environ.get("PYHOOKS_PROTOBUF_PYTHON", "/usr/bin/python3")
TIMEOUT = 120

BOOT = r"""
import json, os, runpy, sys
import pyhooks
for name, options in json.loads(os.environ.pop("PYHOOKS_TRACER_TEST_PLUGINS")):
    pyhooks.load(name, options=options)
sys.argv = sys.argv[1:]
sys.path[0] = os.path.dirname(os.path.abspath(sys.argv[0]))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def scratch_directory():
    path = tempfile.mkdtemp(prefix="pyhooks-trace-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def have_protobuf():
    if shutil.which("protoc") is None:
        return False
    probe = subprocess.run([PROTOBUF_PYTHON, "-c", "import google.protobuf"],
                           capture_output=True)
    return probe.returncode == 0


class Run:
    def __init__(self, proc, path):
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.path = path

    def trace(self):
        return decode(self.path)


def run_traced(script, options=None, args=(), env=None, directory=None,
               others=(), check=True, suffix=".perfetto-trace"):
    """Runs `script` (a name in workloads/ or a path) under the tracer; the
    trace goes to <directory>/trace<suffix> unless options name another."""
    script = Path(script)
    if not script.is_absolute():
        script = WORKLOADS / script
    directory = Path(directory or scratch_directory())
    opts = {"output": str(directory / ("trace" + suffix)), "summary": False}
    opts.update(options or {})
    plugins = [["tracer", opts]] + [list(other) for other in others]
    child_env = dict(os.environ)
    child_env.update(env or {})
    child_env["PYHOOKS_TRACER_TEST_PLUGINS"] = json.dumps(plugins)
    proc = subprocess.run([PYTHON, "-c", BOOT, str(script), *map(str, args)],
                          cwd=str(directory), env=child_env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    if check and proc.returncode != 0:
        raise AssertionError("traced run of %s failed (%d):\n%s\n%s"
                             % (script.name, proc.returncode, proc.stdout,
                                proc.stderr))
    return Run(proc, opts.get("output"))


def decode(path):
    path = str(path)
    if path.endswith(".json") or path.endswith(".json.gz"):
        return decode_json(path)
    return decode_perfetto(path)


def decode_perfetto(path):
    proc = subprocess.run([PROTOBUF_PYTHON, str(HERE / "decode_perfetto.py"),
                           path], capture_output=True, text=True,
                          timeout=TIMEOUT)
    if proc.returncode != 0:
        raise AssertionError("the Perfetto trace %s does not decode: %s"
                             % (path, proc.stderr))
    raw = json.loads(proc.stdout)
    labels = {int(uuid): info["name"] for uuid, info in raw["threads"].items()}
    pids = {int(uuid): info["pid"] for uuid, info in raw["threads"].items()}
    slices = []
    for s in raw["slices"]:
        flows, terminating = s["flows"], s["terminating"]
        flow = (flows or terminating or [None])[0]
        slices.append({"thread": labels[s["track"]], "pid": pids[s["track"]],
                       "name": s["name"],
                       "begin": s["begin"], "end": s["end"],
                       "depth": s["depth"], "parent": s["parent"],
                       "args": s["args"], "flow": flow,
                       "flow_role": "end" if terminating
                       else ("continues" if flows else None)})
    return {"slices": slices, "instants": raw["instants"],
            "threads": sorted(labels.values()), "process": raw["process"],
            "processes": sorted(raw["processes"].values(),
                                key=lambda p: p["pid"]),
            "tasks": sorted(info["name"] for info in raw["threads"].values()
                            if info["task"]),
            "meta": {}, "bytes": raw["bytes"]}


JSON_PHASES = {"X", "M", "i", "s", "t", "f"}
# An asyncio task's lane in JSON: a tid above any kernel thread id
# (json_encoder.cc).
JSON_TASK_TID_BASE = 1000000000


def check_json_event(event, index):
    """The Trace Event format's rules for the phases the tracer writes."""
    where = "traceEvents[%d]" % index
    assert isinstance(event, dict), where
    ph = event.get("ph")
    assert ph in JSON_PHASES, "%s: phase %r" % (where, ph)
    assert isinstance(event.get("pid"), int), where + ": pid"
    assert isinstance(event.get("tid"), int), where + ": tid"
    assert isinstance(event.get("name"), str), where + ": name"
    if ph == "M":
        assert event["name"] in ("process_name", "thread_name"), where
        assert isinstance(event["args"]["name"], str), where
        return
    assert isinstance(event.get("ts"), (int, float)), where + ": ts"
    if ph == "X":
        assert isinstance(event.get("dur"), (int, float)), where + ": dur"
        assert event["dur"] >= 0, where + ": negative dur"
    if ph == "i":
        assert event.get("s") in ("g", "p", "t"), where + ": scope"
    if ph in ("s", "t", "f"):
        assert "id" in event and "cat" in event, where + ": flow id/cat"
        if ph == "f":
            assert event.get("bp") == "e", where + ": binding point"


def decode_json(path):
    if path.endswith(".gz"):
        import gzip
        with gzip.open(path, "rt", encoding="utf-8") as f:
            doc = json.load(f)
    else:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    assert isinstance(doc, dict) and isinstance(doc.get("traceEvents"), list)
    assert doc.get("displayTimeUnit") in ("ms", "ns")
    labels = {}     # (pid, tid) -> thread or task name
    processes = {}  # pid -> process name
    complete = []
    flows = {}
    instants = []
    for index, event in enumerate(doc["traceEvents"]):
        check_json_event(event, index)
        ph = event["ph"]
        lane = (event["pid"], event["tid"])
        if ph == "M" and event["name"] == "thread_name":
            labels[lane] = event["args"]["name"]
        elif ph == "M" and event["name"] == "process_name":
            processes[event["pid"]] = event["args"]["name"]
        elif ph == "X":
            complete.append(event)
        elif ph in ("s", "t", "f"):
            flows[lane + (round(event["ts"] * 1000),)] = event
        elif ph == "i":
            instants.append({"ts": round(event["ts"] * 1000),
                             "name": event["name"], "pid": event["pid"],
                             "args": event.get("args", {})})
    slices = []
    by_thread = {}
    for event in complete:
        begin = round(event["ts"] * 1000)
        end = begin + round(event["dur"] * 1000)
        lane = (event["pid"], event["tid"])
        flow = flows.get(lane + (begin,))
        slices.append({"thread": labels.get(lane, str(event["tid"])),
                       "pid": event["pid"], "tid": event["tid"],
                       "name": event["name"], "begin": begin, "end": end,
                       "args": event.get("args", {}),
                       "flow": flow["id"] if flow else None,
                       "flow_role": None if flow is None else
                       {"s": "continues", "t": "continues",
                        "f": "end"}[flow["ph"]]})
    # Nesting from the intervals, as a viewer computes it, per lane.
    for s in slices:
        by_thread.setdefault((s["pid"], s["tid"]), []).append(s)
    for items in by_thread.values():
        items.sort(key=lambda s: (s["begin"], -s["end"]))
        stack = []
        for s in items:
            while stack and stack[-1]["end"] <= s["begin"]:
                stack.pop()
            if stack:
                assert s["end"] <= stack[-1]["end"], \
                    "slice %s ends after its parent %s" % (s, stack[-1])
            s["depth"] = len(stack)
            s["parent"] = stack[-1]["name"] if stack else None
            stack.append(s)
    slices.sort(key=lambda s: (s["thread"], s["begin"]))
    return {"slices": slices, "instants": instants,
            "threads": sorted(labels.values()), "process": None,
            "processes": [{"pid": pid, "name": name}
                          for pid, name in sorted(processes.items())],
            "tasks": sorted(name for (pid, tid), name in labels.items()
                            if tid >= JSON_TASK_TID_BASE),
            "meta": doc.get("otherData", {}), "bytes": os.path.getsize(path)}


def own(trace, filename):
    """The slices of functions defined in `filename` (a base name)."""
    return [s for s in trace["slices"] if "(%s:" % filename in s["name"]
            or "/%s:" % filename in s["name"]]


def short(name):
    """"qualname (file:line)" -> "qualname"."""
    return name.split(" (", 1)[0]
