"""Reference counts and memory stay flat with every plugin active (issue:
reliability, leaks). Needs a debug interpreter (sys.gettotalrefcount).

The plugins used here do no reference counting of their own: a plugin
compiled for a release CPython (as all pyhooks plugins are) increments
object counts without the debug build's global tally, which would show as a
drift that is not a leak. The host, built for this interpreter, counts
properly - it is what is under test."""

import os
import sys
import unittest

PLUGIN_DIR = os.environ["PYHOOKS_TEST_PLUGIN_DIR"]

print("pyhooks leak checks on CPython %s (%s)" % (sys.version.split()[0],
                                                   sys.executable),
      file=sys.stderr)


def plugin(variant):
    return os.path.join(PLUGIN_DIR, "pyhooks_test_%s.so" % variant)


def load_everything():
    import pyhooks
    for name in ("noop_a", "noop_b", "noop_c"):
        pyhooks.load(plugin("noop"), name=name)
    pyhooks.load(plugin("slot_user"))
    pyhooks.load(plugin("evaluator"))            # handles pyhooks_test_add
    pyhooks.load(plugin("passthrough_evaluator"), priority=100)
    try:
        pyhooks.load("profiler", options={"summary": 0, "output": "",
                                          "collapsed": "", "svg": "",
                                          "speedscope": ""})
    except (pyhooks.PluginError, ValueError):
        pass  # not part of this build


def pyhooks_test_add(a, b):
    return None  # the evaluator computes a + b instead


def workload():
    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    def gen(n):
        for i in range(n):
            yield i

    class Thing:
        def __init__(self, v):
            self.v = v

        def twice(self):
            return self.v * 2

    total = fib(15) + sum(gen(100))
    total += sum(Thing(i).twice() for i in range(100))
    for i in range(100):
        total += pyhooks_test_add(i, 1)
        try:
            raise KeyError(i)
        except KeyError:
            pass
    namespace = {}
    exec("def dynamic():\n    return 5\n", namespace)  # a code object dies
    return total + namespace["dynamic"]()


@unittest.skipUnless(hasattr(sys, "gettotalrefcount"), "needs a debug build")
class Leaks(unittest.TestCase):
    def tearDown(self):
        import pyhooks
        pyhooks.shutdown()

    def settled_total(self):
        import gc
        gc.collect()
        return sys.gettotalrefcount()

    def test_total_refcount_is_flat_with_every_plugin_active(self):
        load_everything()
        expected = workload()
        workload()
        before = self.settled_total()
        for _ in range(20):
            self.assertEqual(workload(), expected)
        after = self.settled_total()
        self.assertLess(abs(after - before), 20, (before, after))

    def test_load_run_unload_cycles_do_not_leak(self):
        import pyhooks
        load_everything()
        workload()
        pyhooks.shutdown()
        before = self.settled_total()
        for _ in range(10):
            load_everything()
            workload()
            pyhooks.shutdown()
        after = self.settled_total()
        self.assertLess(abs(after - before), 50, (before, after))

    def test_host_memory_is_flat_over_ten_million_calls(self):
        load_everything()

        def leaf(i):
            return i

        def calls(n):
            for i in range(n):
                leaf(i)

        def rss_kib():
            with open("/proc/self/statm") as statm:
                return int(statm.read().split()[1]) * os.sysconf(
                    "SC_PAGE_SIZE") // 1024

        calls(1_000_000)
        start = rss_kib()
        for _ in range(9):
            calls(1_000_000)
        grown = rss_kib() - start
        # 9 million further calls: the host's memory depends on the code
        # objects and threads seen, not on the calls made.
        self.assertLess(grown, 2048, "grew %d KiB" % grown)


if __name__ == "__main__":
    unittest.main()
