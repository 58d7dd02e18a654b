"""Why builtins are off by default (docs/profiler.md, "Builtins"), shown
without pyhooks: a sys.monitoring tool with CALL events (here a pure-Python
one, as pyhooks' would be with builtins on) makes CPython deliver a
`c_return` for `sys.setprofile` itself to the profile function that call
installs, with no `c_call` before it, and `profile` then fails with "Bad
return". Argument: "plain" (no other tool), "call" (the tool takes CALL) or
"disable" (it also answers DISABLE at every call site)."""
import profile
import sys

mode = sys.argv[1]
monitoring = sys.monitoring
events = monitoring.events
if mode != "plain":
    monitoring.use_tool_id(4, "another tool")
    monitoring.register_callback(
        4, events.CALL,
        lambda *args: monitoring.DISABLE if mode == "disable" else None)
    monitoring.register_callback(4, events.C_RETURN, lambda *args: None)
    monitoring.register_callback(4, events.C_RAISE, lambda *args: None)
    monitoring.set_events(4, events.CALL | events.C_RETURN | events.C_RAISE)

seen = []


def record(frame, event, arg):
    seen.append("%s %s" % (event, getattr(arg, "__name__", "-")))


def install_and_call():
    sys.setprofile(record)
    len([])
    sys.setprofile(None)


install_and_call()
print(", ".join(seen))
try:
    profile.Profile().runcall(max, [0, 3, 1])
    print("profile ok")
except AssertionError as error:
    print("profile failed: %s" % error.args[0][0])
