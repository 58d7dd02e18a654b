"""Control runs without pyhooks: runs regrtest modules in this one process
with one of the CPython mechanisms pyhooks relies on switched on by other
means, to show whether a difference in the conformance table is CPython's
own behaviour under that mechanism (an inherent difference) or pyhooks'.

    python control.py --eval-frame test_dis [regrtest options]
    python control.py --monitoring test_monitoring
    python control.py --co-extra test_code

--eval-frame  installs CPython's own test PEP 523 function
              (_testinternalcapi.set_eval_frame_record), as an evaluator
              plugin makes pyhooks install its hook;
--monitoring  claims sys.monitoring tool id 4 and subscribes every code
              object to PY_START, PY_RESUME, PY_RETURN, PY_YIELD, PY_UNWIND
              and PY_THROW, as pyhooks does for observers on 3.12+;
--co-extra    requests a code-extra index and stores a value in the code
              object of every Python call, as pyhooks' per-code storage does.

The result is regrtest's own; compare it with `python -m test MODULE`.
"""

import sys


def eval_frame():
    import atexit
    import _testinternalcapi

    _testinternalcapi.set_eval_frame_record([])  # grows by one name per frame
    atexit.register(_testinternalcapi.set_eval_frame_default)


def monitoring():
    events = sys.monitoring.events
    tool = 4
    sys.monitoring.use_tool_id(tool, "control")
    for event in ("PY_START", "PY_RESUME", "PY_RETURN", "PY_YIELD",
                  "PY_UNWIND", "PY_THROW"):
        sys.monitoring.register_callback(
            tool, getattr(events, event), lambda *args: None)
    sys.monitoring.set_events(
        tool, events.PY_START | events.PY_RESUME | events.PY_RETURN
        | events.PY_YIELD | events.PY_UNWIND | events.PY_THROW)


def co_extra():
    import ctypes
    import threading

    api = ctypes.pythonapi
    prefix = "_Py" if sys.version_info < (3, 12) else "PyUnstable_"
    request = getattr(api, prefix + "Eval_RequestCodeExtraIndex")
    request.restype = ctypes.c_ssize_t
    request.argtypes = [ctypes.c_void_p]
    set_extra = getattr(api, prefix + "Code_SetExtra")
    set_extra.argtypes = [ctypes.py_object, ctypes.c_ssize_t, ctypes.c_void_p]
    index = request(None)

    def profile(frame, event, arg):
        if event == "call":
            set_extra(frame.f_code, index, 1)

    sys.setprofile(profile)
    threading.setprofile(profile)


def main():
    switches = {"--eval-frame": eval_frame, "--monitoring": monitoring,
                "--co-extra": co_extra}
    chosen = [a for a in sys.argv[1:] if a in switches]
    rest = [a for a in sys.argv[1:] if a not in switches]
    if not chosen or not rest:
        sys.exit(__doc__)
    sys.argv[1:] = rest
    from test.libregrtest.main import main as regrtest

    for switch in chosen:
        switches[switch]()
    regrtest()


if __name__ == "__main__":
    main()
