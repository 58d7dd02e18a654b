// tests/embedded/events_test.cc - the exact event sequence an observer sees,
// for every kind of frame, from each event source.
//
// Every test runs once with the eval-frame hook as the source and, on 3.12+,
// once with sys.monitoring: the expected sequence is the same for both,
// which is the contract (DESIGN section 6).
#include <algorithm>
#include <map>

#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

using Events = std::vector<std::string>;

TEST_P(EventSourceTest, NestedCalls) {
  LoadRecorder();
  Run(R"PY(
    def g(x):
        return x + 1
    def f(x):
        return g(x) * 2
    f(1)
  )PY");
  EXPECT_EQ(TakeEvents(), (Events{"start <module>", "start f", "start g",
                                  "return g", "return f", "return <module>"}));
}

TEST_P(EventSourceTest, GeneratorCreationResumesThrowAndClose) {
  LoadRecorder();
  Run(R"PY(
    def gen():
        try:
            yield 1
            yield 2
        except KeyError:
            yield 3
    g = gen()
    next(g)
    g.throw(KeyError)
    g.close()
    list(gen())
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module>",
                    // creating the generator is no event; next() starts it
                    "start gen", "yield gen",
                    // throw() re-enters it; it catches and yields again
                    "resume gen throw", "yield gen",
                    // close() throws GeneratorExit, which escapes
                    "resume gen throw", "unwind gen",
                    // a full iteration
                    "start gen", "yield gen", "resume gen", "yield gen",
                    "resume gen", "return gen", "return <module>"}));
}

TEST_P(EventSourceTest, CoroutinesUnderAsyncio) {
  LoadRecorder();
  Run(R"PY(
    import asyncio
    async def leaf():
        await asyncio.sleep(0)
        return 1
    async def main():
        return await leaf() + await leaf()
    assert asyncio.run(main()) == 2
  )PY");
  Events leaf_round = {"start leaf",  "yield leaf",  "yield main",
                       "resume main", "resume leaf", "return leaf"};
  Events expected = {"start <module>", "start main"};
  expected.insert(expected.end(), leaf_round.begin(), leaf_round.end());
  expected.insert(expected.end(), leaf_round.begin(), leaf_round.end());
  expected.push_back("return main");
  expected.push_back("return <module>");
  EXPECT_EQ(TakeEvents(), expected);
}

TEST_P(EventSourceTest, ExceptionThroughSeveralFrames) {
  LoadRecorder();
  Run(R"PY(
    def c():
        raise ValueError("deep")
    def b():
        c()
    def a():
        try:
            b()
        except ValueError:
            return "caught"
    a()
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module>", "start a", "start b", "start c",
                    "unwind c", "unwind b", "return a", "return <module>"}));
}

TEST_P(EventSourceTest, RecursionAndClassBodies) {
  LoadRecorder();
  Run(R"PY(
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)
    class K:
        def __init__(self):
            self.v = fact(3)
    K()
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module>", "start K", "return K", "start K.__init__",
                    "start fact", "start fact", "start fact", "return fact",
                    "return fact", "return fact", "return K.__init__",
                    "return <module>"}));
}

TEST_P(EventSourceTest, LinesAndArgumentsAreVersionNeutral) {
  LoadRecorder("'line': True, 'args': True");
  Run(R"PY(
    def f(a, b, *, c):
        return a
    f(1, 'x', c=None)
    def outer(v):
        def inner():
            return v
        return inner()
    outer(7)
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module> line=1", "start f line=2 (1,'x',None)",
                    "return f line=-1", "start outer line=5 (7)",
                    "start outer.<locals>.inner line=6",
                    "return outer.<locals>.inner line=-1",
                    "return outer line=-1", "return <module> line=-1"}));
}

TEST_P(EventSourceTest, DisabledCodeGetsNoMoreEvents) {
  LoadRecorder("'disable': ['noisy']");
  Run(R"PY(
    def noisy():
        return 1
    def quiet():
        return noisy() + noisy()
    quiet()
    quiet()
  )PY");
  // noisy's first START is seen and answered with DISABLE: nothing after
  // that, not even the RETURN of that first activation.
  EXPECT_EQ(TakeEvents(), (Events{"start <module>", "start quiet",
                                  "start noisy", "return quiet", "start quiet",
                                  "return quiet", "return <module>"}));
}

TEST_P(EventSourceTest, OneObserversDisableLeavesTheOthersAlone) {
  // Who observes a code object is cached per code object and chain: one
  // observer's DISABLE must take only that observer out.
  LoadRecorder("'disable': ['noisy']");
  Load("recorder",
       "name='recorder_b', priority=900, "
       "options={'filename': '<pyhooks-test>', 'tag': 'B:'}");
  TakeEvents();
  Run(R"PY(
    def noisy():
        return 1
    noisy()
    noisy()
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"B:start <module>", "start <module>", "B:start noisy",
                    "start noisy", "B:return noisy", "B:start noisy",
                    "B:return noisy", "return <module>",
                    "B:return <module>"}));
}

TEST_P(EventSourceTest, ObserverLoadedLaterSeesCodeOthersDisabled) {
  LoadRecorder("'disable': ['noisy']");
  Run(R"PY(
    def noisy():
        return 1
    noisy()
    noisy()
  )PY");
  TakeEvents();
  Load("recorder",
       "name='recorder_b', priority=900, "
       "options={'filename': '<pyhooks-test>', 'tag': 'B:'}");
  TakeEvents();
  Run("noisy()\n");
  EXPECT_EQ(TakeEvents(),
            (Events{"B:start <module>", "start <module>", "B:start noisy",
                    "B:return noisy", "return <module>",
                    "B:return <module>"}));
}

TEST_P(EventSourceTest, ExitNamesCodeReleasedWhileItRan) {
  // h replaces its own __code__: its frame then holds the last reference to
  // the code it runs, and the exit events still name that code.
  LoadRecorder();
  Run(R"PY(
    source = "def h():\n    h.__code__ = (lambda: 0).__code__\n    return 1\n"
    space = {}
    exec(compile(source, "<pyhooks-test>", "exec"), space)
    space["h"]()
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module>", "start <module>", "return <module>",
                    "start h", "return h", "return <module>"}));
}

TEST_P(EventSourceTest, ThreadsSeeBalancedEvents) {
  LoadRecorder("'thread': True");
  Run(R"PY(
    import threading
    # All four alive at once: thread ids are reused once a thread ends.
    together = threading.Barrier(4)
    def leaf(i):
        return i
    def work():
        together.wait()
        for i in range(200):
            leaf(i)
        together.wait()
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads: t.start()
    for t in threads: t.join()
  )PY");
  // Per thread: work's events bracket 200 leaf start/return pairs.
  std::map<std::string, Events> per_thread;
  for (const std::string& event : TakeEvents()) {
    size_t at = event.rfind(" thread=");
    ASSERT_NE(at, std::string::npos) << event;
    per_thread[event.substr(at + 8)].push_back(event.substr(0, at));
  }
  int workers = 0;
  for (const auto& [thread, events] : per_thread) {
    if (std::find(events.begin(), events.end(), "start work") == events.end()) {
      continue;  // the main thread (module code)
    }
    ++workers;
    ASSERT_EQ(events.size(), 402u) << "thread " << thread;
    EXPECT_EQ(events.front(), "start work");
    EXPECT_EQ(events.back(), "return work");
    for (size_t i = 1; i + 1 < events.size(); i += 2) {
      EXPECT_EQ(events[i], "start leaf");
      EXPECT_EQ(events[i + 1], "return leaf");
    }
  }
  EXPECT_EQ(workers, 4);
}

TEST_P(EventSourceTest, FramesRunByObserverCallbacksAreNotEvents) {
  // The second recorder logs arguments with repr(), which runs Python code
  // (__repr__) inside a callback: that frame is not reported to anyone.
  LoadRecorder("'args': True");
  Run(R"PY(
    class Shown:
        def __repr__(self):
            return "Shown()"
    def take(x):
        return x
    take(Shown())
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module>", "start Shown", "return Shown",
                    "start take (Shown())", "return take", "return <module>"}));
}

TEST_P(EventSourceTest, ObserversAreOnionOrdered) {
  LoadRecorder();
  Load("recorder",
       "name='recorder_b', priority=900, "
       "options={'filename': '<pyhooks-test>', 'tag': 'B:'}");
  TakeEvents();
  Run(R"PY(
    def f():
        return 1
    f()
  )PY");
  // The recorders share one log. recorder_b (priority 900) is outer: first
  // on the way in, last on the way out.
  EXPECT_EQ(TakeEvents(),
            (Events{"B:start <module>", "start <module>", "B:start f",
                    "start f", "return f", "B:return f", "return <module>",
                    "B:return <module>"}));
}

INSTANTIATE_TEST_SUITE_P(Sources, EventSourceTest,
                         ::testing::Values("eval_frame", "monitoring"),
                         [](const auto& info) {
                           return std::string(info.param);
                         });

TEST_F(PythonTest, NoPluginMeansNothingInstalled) {
  Run(R"PY(
    import pyhooks
    assert pyhooks.event_source() == "none", pyhooks.event_source()
  )PY");
  LoadRecorder();
  Run(R"PY(
    import pyhooks, sys
    expected = "monitoring" if sys.version_info >= (3, 12) else "eval_frame"
    assert pyhooks.event_source() == expected, pyhooks.event_source()
    pyhooks.unload("recorder")
    assert pyhooks.event_source() == "none"
  )PY");
}

}  // namespace
}  // namespace pyhooks::testing
