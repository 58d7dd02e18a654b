"""Threads, fork, subinterpreters and signals with plugins active (issue:
reliability, concurrency and processes)."""

import os
import sys
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)

ALL_PLUGINS = f"""
import pyhooks
from pyhooks_testing import take_events
pyhooks.load({plugin("recorder")!r}, name="recorder",
             options={{"filename": "<string>", "thread": True}})
pyhooks.load({plugin("slot_user")!r})
pyhooks.load({plugin("passthrough_evaluator")!r})
try:
    pyhooks.load("profiler", options={{"summary": 0, "output": "", "collapsed": "", "svg": "", "speedscope": ""}})
except (pyhooks.PluginError, ValueError) as error:
    pass  # not built in this tree
take_events()
"""


class Concurrency(unittest.TestCase):
    def test_sixteen_threads_get_balanced_events(self):
        result = run_python(ALL_PLUGINS + """
import collections, threading
together = threading.Barrier(16)
def leaf(i):
    if i % 7 == 0:
        try:
            raise ValueError(i)
        except ValueError:
            pass
    return i
def gen(n):
    for i in range(n):
        yield leaf(i)
def work():
    together.wait()
    for _ in range(50):
        sum(gen(20))
    together.wait()
threads = [threading.Thread(target=work) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
per_thread = collections.defaultdict(list)
for line in take_events():
    event, _, thread = line.rpartition(" thread=")
    per_thread[thread].append(event.split()[0])
workers = 0
for thread, events in per_thread.items():
    depth = 0
    for kind in events:
        depth += 1 if kind in ("start", "resume") else -1
        assert depth >= 0, (thread, events[:20])
    assert depth == 0 or thread == str(threading.main_thread().ident), thread
    workers += len(events) > 1000
assert workers == 16, workers
print("ok", workers)
""")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "ok 16\n")

    def test_forked_child_keeps_working(self):
        result = run_python(ALL_PLUGINS + """
def f(x):
    return x + 1
pid = os.fork() if hasattr(__import__("os"), "fork") else 0
import os
if pid == 0:
    total = sum(f(i) for i in range(1000))
    events = take_events()
    ok = total == 500500 and events.count("start f thread=%d" % __import__("threading").get_ident()) == 1000
    os._exit(0 if ok else 1)
_, status = os.waitpid(pid, 0)
print("child", os.waitstatus_to_exitcode(status))
print("parent", sum(f(i) for i in range(10)))
""".replace("pid = os.fork()", "import os\npid = os.fork()"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "child 0\nparent 55\n")

    def test_multiprocessing_fork_workers_shut_their_plugins_down(self):
        counter = os.path.join(os.environ["PYHOOKS_EXAMPLE_PLUGIN_DIR"],
                               "pyhooks_call_counter.so")
        result = run_python(f"""
import multiprocessing
import pyhooks
pyhooks.load({counter!r}, options={{"top": 1}})
def square(x):
    return x * x
if __name__ == "__main__":
    # close + join: workers exit normally (leaving the with-block would
    # terminate them, and a killed process runs no finalizers at all).
    pool = multiprocessing.get_context("fork").Pool(2)
    print(sum(pool.map(square, range(100))))
    pool.close()
    pool.join()
""")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "328350\n")
        # Every process - the parent and both workers, which end with
        # os._exit - printed its counts at plugin shutdown.
        lines = [l for l in result.stderr.splitlines()
                 if l.startswith("call_counter:")]
        self.assertEqual(len(lines), 3, result.stderr)

    @unittest.skipIf(sys.version_info < (3, 12), "subinterpreters with their "
                     "own state are 3.12+")
    def test_subinterpreters_have_their_own_plugins(self):
        result = run_python(f"""
import pyhooks, sys
try:
    import _interpreters as interpreters          # 3.13
except ImportError:
    import _xxsubinterpreters as interpreters     # 3.12
pyhooks.load({plugin("recorder")!r}, name="recorder")
pyhooks.load({plugin("fault")!r})                 # not subinterpreter-safe
code = '''
import pyhooks
pyhooks.load({plugin("recorder")!r}, name="recorder_b")
pyhooks.load({plugin("fault")!r})
names = [p["name"] for p in pyhooks.chain() if p["position"]]
assert names == ["recorder_b"], names
def f():
    return 1
for _ in range(10):
    f()
assert pyhooks.counters()["plugins"]["recorder_b"]["events"]["start"] >= 10
'''
interp = interpreters.create()
try:
    interpreters.run_string(interp, code)
finally:
    interpreters.destroy(interp)
names = [p["name"] for p in pyhooks.chain() if p["position"]]
assert names == ["fault", "recorder"] or names == ["recorder", "fault"], names
print("ok")
""")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "ok\n")
        # Staying inactive there is expected, not news for the program's
        # stderr (only PYHOOKS_VERBOSE=1 says it).
        self.assertNotIn("pyhooks:", result.stderr)

    def test_ctrl_c_during_a_slow_plugin_callback(self):
        program = f"""
import os, signal, threading, time
import pyhooks
if os.environ.get("WITH_PLUGIN"):
    pyhooks.load({plugin("fault")!r}, options={{"mode": "slow"}})
def victim():
    return 1
threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
try:
    while True:
        victim()
        time.sleep(0.01)
except KeyboardInterrupt:
    print("interrupted")
"""
        plain = run_python(program)
        hooked = run_python(program, env={"WITH_PLUGIN": "1"})
        self.assertEqual(plain.stdout, "interrupted\n", plain.stderr)
        self.assertEqual(hooked.stdout, plain.stdout, hooked.stderr)
        self.assertEqual(hooked.returncode, plain.returncode)


if __name__ == "__main__":
    unittest.main()
