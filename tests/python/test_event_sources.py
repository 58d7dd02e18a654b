"""What an observer sees does not depend on how pyhooks gets its events
(DESIGN section 6), on real stdlib code - every frame of the process is
recorded, not only the test's own:

- on 3.12+, observers alone (sys.monitoring only) and observers beside an
  evaluator (the eval-frame hook installed too, announcing the frames it
  offers to evaluators) give identical streams;
- the eval-frame hook as the observers' source (3.11's only source, a
  fallback on 3.12+) gives the same stream as sys.monitoring except for the
  two differences CPython imposes on a hook, each shown here.

Each exit event carries the type of its ABI 1.1 `frame->value` (what was
returned or yielded, the exception for UNWIND), so the values are compared
across sources too."""

import collections
import re
import sys
import unittest

from pyhooks_testing import header, plugin, run_python

print(header(), file=sys.stderr)

WORKLOAD = f"""
import asyncio, collections, dataclasses, gc, json, re, textwrap
import pyhooks
from pyhooks_testing import take_events

@dataclasses.dataclass
class Point:
    x: int
    y: int
    def norm(self):
        return abs(self.x) + abs(self.y)

def walk(tree, depth=0):
    for key, value in tree.items():
        yield depth, key
        if isinstance(value, dict):
            yield from walk(value, depth + 1)

def parse(text):
    return [m.group(1) for m in re.finditer(r"(\\w+)=\\d+", text)]

async def produce(queue, n):
    for i in range(n):
        await queue.put(i)
        await asyncio.sleep(0)
    await queue.put(None)

async def consume(queue):
    total = 0
    while (item := await queue.get()) is not None:
        total += item
    return total

async def pipeline():
    queue = asyncio.Queue()
    _, total = await asyncio.gather(produce(queue, 20), consume(queue))
    return total

def fails(n):
    if n == 0:
        raise KeyError(n)
    return fails(n - 1)

def workload():
    data = {{"a": {{"b": {{"c": 1}}, "d": [1, 2, 3]}}, "e": "x"}}
    assert json.loads(json.dumps(data)) == data
    assert list(walk(data))
    assert parse("a=1 bb=22 ccc=333") == ["a", "bb", "ccc"]
    assert sum(Point(i, -i).norm() for i in range(50)) == 2450
    assert collections.Counter("abracadabra").most_common(1)[0][0] == "a"
    assert asyncio.run(pipeline()) == 190
    try:
        fails(5)
    except KeyError:
        pass
    textwrap.fill("word " * 40, width=30)

workload()              # warm up: imports, caches, specialisation
gc.disable()
import os
if os.environ.get("WITH_EVALUATOR"):
    pyhooks.load({plugin("passthrough_evaluator")!r})
    assert pyhooks.counters()["hook_installed"]
pyhooks.load({plugin("recorder")!r}, name="recorder",
             options={{"values": True}})
take_events()
workload()
events = take_events()
pyhooks.unload("recorder")
print(len(events))
print("\\n".join(events))
"""


def stream(test, source, with_evaluator=False):
    env = {"PYHOOKS_EVENT_SOURCE": source}
    if with_evaluator:
        env["WITH_EVALUATOR"] = "1"
    result = run_python(WORKLOAD, env=env)
    test.assertEqual(result.returncode, 0, result.stderr)
    lines = result.stdout.splitlines()
    test.assertEqual(int(lines[0]), len(lines) - 1)
    test.assertGreater(len(lines), 1000)
    # The test's own ctypes buffer (take_events) is sized by the log, so its
    # type name (c_char_Array_<size>) differs between sources: drop the size.
    events = [re.sub(r"c_char_Array_\d+", "c_char_Array", e) for e in lines[1:]]
    # Every exit knows its value, and the values are the program's.
    exits = [e for e in events if e.startswith(("return", "yield", "unwind"))]
    test.assertTrue(exits)
    test.assertFalse([e for e in exits if e.endswith("-> NULL")])
    test.assertIn("unwind fails -> KeyError", events)
    test.assertIn("return Point.norm -> int", events)
    test.assertIn("yield walk -> tuple", events)
    return events


@unittest.skipIf(sys.version_info < (3, 12), "sys.monitoring is 3.12+")
class EvaluatorsDoNotChangeWhatObserversSee(unittest.TestCase):
    def test_same_stream_with_and_without_an_evaluator(self):
        alone = stream(self, "auto")
        beside_evaluator = stream(self, "auto", with_evaluator=True)
        self.assertEqual(alone, beside_evaluator)


class HookSourceMatchesMonitoring(unittest.TestCase):
    @unittest.skipIf(sys.version_info < (3, 12), "sys.monitoring is 3.12+")
    def test_same_stream_but_for_the_documented_differences(self):
        hook = stream(self, "eval_frame")
        monitoring = stream(self, "monitoring")
        if sys.version_info[:2] == (3, 13):
            # CPython 3.13's CALL_ALLOC_AND_ENTER_INIT runs __init__ without
            # calling the hook: such frames are invisible to a hook, not to
            # sys.monitoring. Nothing else may be missing.
            # (Lines are "event qualname -> type of the exit value".)
            is_init = lambda event: event.split(" ")[1].endswith("__init__")
            missing = collections.Counter(monitoring) - collections.Counter(hook)
            self.assertTrue(missing)
            self.assertTrue(all(is_init(e) for e in missing), missing)
            hook = [e for e in hook if not is_init(e)]
            monitoring = [e for e in monitoring if not is_init(e)]
        # With a hook, 3.12+ clear a returning frame (running finalizers it
        # triggers) before the hook can report the return; sys.monitoring
        # reports it first. Same events, same count, and only such moves.
        self.assertEqual(sorted(hook), sorted(monitoring))
        moved = [i for i, (a, b) in enumerate(zip(hook, monitoring)) if a != b]
        for index in moved:
            self.assertTrue(hook[index].startswith(("start", "return"))
                            or monitoring[index].startswith("return"),
                            (hook[index], monitoring[index]))


if __name__ == "__main__":
    unittest.main()
