"""A program that runs the standard library's own profilers (profile, then
cProfile) and says whether pyhooks' sys.monitoring tool has CALL events
(the profiler's workload of the same name)."""
import cProfile
import io
import profile
import pstats
import sys

monitoring = getattr(sys, "monitoring", None)
if monitoring is not None:
    tool = [t for t in range(6) if monitoring.get_tool(t) == "pyhooks"]
    events = monitoring.get_events(tool[0]) if tool else 0
    print("CALL subscribed" if events & monitoring.events.CALL else
          "CALL not subscribed")
for module in (profile, cProfile):
    runner = module.Profile()
    runner.runcall(max, [0, 3, 1])
    runner.runcall(sorted, [3, 1, 2], key=abs)
    text = io.StringIO()
    pstats.Stats(runner, stream=text).print_stats()
    print(module.__name__, "ok", "max" in text.getvalue())
