// tests/embedded/trampoline_test.cc - ABI 1.2's interpreter trampolines
// (PYHOOKS_CAP_INTERPRETER_TRAMPOLINE, HOST-30): once an evaluator has set a
// code object's trampoline and disabled itself for it, every entry of that
// code into the interpreter goes through the trampoline - calls and
// generator resumes, from either event source - but frames another
// evaluator runs do not; only the outermost such evaluator's trampoline is
// used; recursion depth stays plain python's. The plugins are
// tests/plugins/trampoline_plugin.c.
#include <cstdint>
#include <string>

#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

constexpr int kA = 0;  // trampoline_a: evaluator and observer
constexpr int kB = 1;  // trampoline_b: evaluator only

int64_t calls_of(int plugin) {
  auto read = loaded_plugin_function<int64_t (*)(int)>(
      "trampoline", "pyhooks_test_trampoline_calls");
  return read != nullptr ? read(plugin) : -1;
}

// Calls through a trampoline since the last call of this function.
class Trampolines {
 public:
  explicit Trampolines(int plugin) : plugin_(plugin), seen_(calls_of(plugin)) {}
  int64_t since() {
    int64_t now = calls_of(plugin_);
    int64_t calls = now - seen_;
    seen_ = now;
    return calls;
  }

 private:
  int plugin_;
  int64_t seen_;
};

TEST_F(PythonTest, EveryCallOfNamedCodeEntersThroughItsTrampoline) {
  Load("trampoline", "name='trampoline_b'");
  Trampolines through(kB);
  ASSERT_TRUE(Run(R"PY(
    def pyhooks_test_leaf(n):
        return n + 1
    def other(n):
        return n
    for i in range(10):
        pyhooks_test_leaf(i)
        other(i)
  )PY"));
  // The first call too: the plugin set the trampoline before declining.
  EXPECT_EQ(through.since(), 10);
  ASSERT_TRUE(Run(R"PY(
    import pyhooks
    offered = pyhooks.counters()["plugins"]["trampoline_b"]["offered"]
    for i in range(10):
        pyhooks_test_leaf(i)
    assert pyhooks.counters()["plugins"]["trampoline_b"]["offered"] == offered
  )PY"));
  // Ten more entries, and the plugin was not offered one of them.
  EXPECT_EQ(through.since(), 10);
}

TEST_F(PythonTest, FramesAnotherEvaluatorRunsAreNotWrapped) {
  Load("trampoline", "name='trampoline_b', priority=600");
  Load("evaluator", "priority=400");
  Trampolines through(kB);
  ASSERT_TRUE(Run(R"PY(
    def pyhooks_test_add(a, b):
        return "the interpreter ran this"
    def pyhooks_test_sub(a, b):
        return a - b
    for i in range(5):
        assert pyhooks_test_add(i, 1) == i + 1   # handled by `evaluator`
        assert pyhooks_test_sub(i, 1) == i - 1   # interpreted
  )PY"));
  EXPECT_EQ(through.since(), 5);
}

TEST_F(PythonTest, OnlyTheOutermostTrampolineIsUsed) {
  Load("trampoline", "name='trampoline_a', priority=600");
  Load("trampoline", "name='trampoline_b', priority=400");
  Trampolines outer(kA);
  Trampolines inner(kB);
  ASSERT_TRUE(Run(R"PY(
    def pyhooks_test_leaf(n):
        return n + 1
    for i in range(7):
        pyhooks_test_leaf(i)
  )PY"));
  EXPECT_EQ(outer.since(), 7);
  EXPECT_EQ(inner.since(), 0);
  // With the outer one disabled, the next chain's outermost is the inner
  // one, which named the code too (trampoline_a disabled itself for it, so
  // it was offered next).
  ASSERT_TRUE(Run(R"PY(
    import pyhooks
    pyhooks.disable("trampoline_a")
    for i in range(7):
        pyhooks_test_leaf(i)
  )PY"));
  EXPECT_EQ(outer.since(), 0);
  EXPECT_EQ(inner.since(), 7);
}

TEST_P(EventSourceTest, GeneratorResumesEnterThroughTheTrampoline) {
  Load("trampoline", "name='trampoline_a'");
  Trampolines through(kA);
  ASSERT_TRUE(Run(R"PY(
    def pyhooks_test_gen():
        yield 1
        yield 2
        yield 3
    assert list(pyhooks_test_gen()) == [1, 2, 3]
    assert list(pyhooks_test_gen()) == [1, 2, 3]
  )PY"));
  // Four entries per run (the start, three resumes). The first START sets
  // the trampoline: from the hook that is before the first entry, from
  // sys.monitoring inside it.
  int64_t calls = through.since();
  EXPECT_TRUE(calls == 8 || calls == 7) << calls;
}

TEST_F(PythonTest, RecursionDepthIsPlainPythonsThroughTrampolines) {
  Run(R"PY(
    import sys
    def pyhooks_test_depth(n=0):
        try:
            return pyhooks_test_depth(n + 1)
        except RecursionError:
            return n
    plain = pyhooks_test_depth()
  )PY");
  Load("trampoline", "name='trampoline_b'");
  Trampolines through(kB);
  Run("hooked = pyhooks_test_depth()\n");
  EXPECT_EQ(EvalLong("hooked"), EvalLong("plain"));
  EXPECT_GT(through.since(), 900);
}

// EventSourceTest runs with each source: events_test.cc instantiates it.

}  // namespace
}  // namespace pyhooks::testing
