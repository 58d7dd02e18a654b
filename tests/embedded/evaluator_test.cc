// tests/embedded/evaluator_test.cc - the evaluator chain: HANDLED frames are
// finished by the host without leaks, eval_next wraps the rest of the chain,
// observers still see handled frames, errors propagate, recursion depth is
// what plain python gives.
#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

using Events = std::vector<std::string>;

TEST_F(PythonTest, HandledFrameReturnsTheEvaluatorsResultWithoutLeaks) {
  Load("evaluator");
  Run(R"PY(
    import sys
    def pyhooks_test_add(a, b):
        return "the interpreter ran this"
    class Value:
        def __add__(self, other):
            return 42
    a, b = Value(), Value()
    assert pyhooks_test_add(2, 3) == 5
    def counts():
        return (sys.getrefcount(a), sys.getrefcount(b),
                sys.getrefcount(pyhooks_test_add),
                sys.getrefcount(pyhooks_test_add.__code__))
    before = counts()
    for _ in range(1000):
        assert pyhooks_test_add(a, b) == 42
    after = counts()
    assert before == after, (before, after)
  )PY");
  EXPECT_GE(EvalLong("__import__('pyhooks').counters()['plugins']"
                     "['evaluator']['handled']"),
            1001);
}

TEST_F(PythonTest, AnEvaluatorErrorPropagatesAndLeaksNothing) {
  Load("evaluator");
  Run(R"PY(
    import sys
    def pyhooks_test_add(a, b):
        return None
    class NoAdd:
        pass
    a = NoAdd()
    before = sys.getrefcount(a)
    for _ in range(100):
        try:
            pyhooks_test_add(a, 1)
        except TypeError as error:
            message = str(error)
        else:
            raise AssertionError("no TypeError")
    assert "unsupported operand" in message, message
    assert sys.getrefcount(a) == before
  )PY");
}

TEST_F(PythonTest, ObserversStillSeeFramesAnEvaluatorHandled) {
  LoadRecorder();
  Load("evaluator");
  TakeEvents();
  Run(R"PY(
    import pyhooks
    assert pyhooks.counters()["hook_installed"]
    def pyhooks_test_add(a, b):
        return 0
    pyhooks_test_add(1, 2)
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module>", "start pyhooks_test_add",
                    "return pyhooks_test_add", "return <module>"}));
}

TEST_F(PythonTest, WrapperRunsTheRestOfTheChainThroughEvalNext) {
  LoadRecorder();
  Load("wrapper", "priority=600");
  Load("evaluator", "priority=400");
  TakeEvents();
  Run(R"PY(
    def pyhooks_test_wrapped():
        return 4
    def pyhooks_test_add(a, b):
        return 0
    assert pyhooks_test_wrapped() == 40
    assert pyhooks_test_add(20, 1) == 21
  )PY");
  EXPECT_EQ(TakeEvents(),
            (Events{"start <module>", "start pyhooks_test_wrapped",
                    "return pyhooks_test_wrapped", "start pyhooks_test_add",
                    "return pyhooks_test_add", "return <module>"}));
  Run(R"PY(
    import pyhooks
    plugins = pyhooks.counters()["plugins"]
    assert plugins["wrapper"]["handled"] == 1, plugins
    assert plugins["evaluator"]["handled"] == 1, plugins
    names = [p["name"] for p in pyhooks.chain() if p["position"]]
    assert names == ["wrapper", "recorder", "evaluator"], names
  )PY");
}

TEST_F(PythonTest, GeneratorsAndResumesAreNeverOfferedToEvaluators) {
  Load("passthrough_evaluator");
  Run(R"PY(
    import pyhooks
    def plain():
        return 1
    def gen():
        yield plain()
        yield plain()
    def offered():
        return pyhooks.counters()["plugins"]["passthrough_evaluator"]["offered"]
    start = offered()
    result = list(gen())
    # Only the two calls of plain() (and offered() itself) were offered:
    # not the generator's creation, first run or resumes.
    assert offered() - start == 3, offered() - start
  )PY");
}

TEST_F(PythonTest, RecursionDepthIsPlainPythonsUnderTheHook) {
  Run(R"PY(
    import sys
    def depth(n=0):
        try:
            return depth(n + 1)
        except RecursionError:
            return n
    plain = depth()
  )PY");
  Load("passthrough_evaluator");
  Run(R"PY(
    import pyhooks
    assert pyhooks.counters()["hook_installed"]
    hooked = depth()
  )PY");
  EXPECT_EQ(EvalLong("hooked"), EvalLong("plain"));
  EXPECT_GT(EvalLong("plain"), 900);
}

TEST_F(PythonTest, RunawayRecursionRaisesInsteadOfCrashing) {
  Load("passthrough_evaluator");
  // With the limit raised far beyond what 8 MiB of C stack holds under a
  // hook, the host's stack guard turns the overflow into RecursionError.
  Run(R"PY(
    import sys
    def down(n):
        return down(n + 1)
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1_000_000)
    try:
        down(0)
    except RecursionError:
        outcome = "RecursionError"
    finally:
        sys.setrecursionlimit(old)
    assert outcome == "RecursionError"
  )PY");
}

TEST_F(PythonTest, FailingInitIsReportedAndRaises) {
  std::string error = RunExpectingError("import pyhooks\npyhooks.load('" +
                                        plugin_path("init_fails") + "')\n");
  EXPECT_NE(error.find("pyhooks.PluginError: plugin 'init_fails' ("),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("failed to initialize: test: init fails on purpose; "
                       "check its options, or leave it out of the "
                       "configuration"),
            std::string::npos)
      << error;
  Run(R"PY(
    import pyhooks
    assert pyhooks.event_source() == "none"
    assert [p["state"] for p in pyhooks.chain() if p["name"] == "init_fails"][-1] == "failed"
  )PY");
}

TEST_F(PythonTest, SecondExclusiveEvaluatorIsRefused) {
  Load("exclusive_a");
  std::string error = RunExpectingError("import pyhooks\npyhooks.load('" +
                                        plugin_path("exclusive_b") + "')\n");
  EXPECT_NE(error.find("plugin 'exclusive_b' is an exclusive evaluator, and "
                       "so is 'exclusive_a', which comes first; "
                       "'exclusive_b' is not activated"),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace pyhooks::testing
