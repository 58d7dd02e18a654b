// tests/embedded/code_data_test.cc - ABI 1.2's pyhooks_frame.code_data: on
// every event, from either event source, each observer finds in the frame
// exactly what api->code_data(self, frame->code) returns for it - its own
// bytes, NULL when it declared none - including in code objects whose state
// was made before the plugin arrived (an overflow block), and on the C-call
// events (3.12+). The plugins are tests/plugins/code_data_plugin.c.
#include <cstdint>
#include <string>

#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

constexpr int kWithData = 0;  // code_data: 24 bytes
constexpr int kSmaller = 1;   // code_data_b: 8 bytes
constexpr int kNoData = 2;    // code_data_none: code_data_size 0

struct Checks {
  int64_t events = 0;
  int64_t matched = 0;
  int64_t mismatched = 0;
  int64_t non_null = 0;
};

Checks checks_of(int plugin) {
  auto read = loaded_plugin_function<void (*)(int, int64_t*)>(
      "code_data", "pyhooks_test_code_data_checks");
  int64_t out[4] = {-1, -1, -1, -1};
  if (read != nullptr) read(plugin, out);
  return {out[0], out[1], out[2], out[3]};
}

int64_t starts_of(int plugin, PyObject* code) {
  auto read = loaded_plugin_function<int64_t (*)(int, PyObject*)>(
      "code_data", "pyhooks_test_code_data_starts");
  return read != nullptr ? read(plugin, code) : -2;
}

class CodeDataSources : public EventSourceTest {
 protected:
  void LoadCheckers() {
    for (const char* name : {"code_data", "code_data_b", "code_data_none"}) {
      Load("code_data", std::string("name='") + name + "'");
    }
  }

  // Every event each checker received carried the expected pointer.
  void ExpectAllMatched() {
    for (int plugin : {kWithData, kSmaller, kNoData}) {
      Checks seen = checks_of(plugin);
      EXPECT_GT(seen.events, 0) << "plugin " << plugin;
      EXPECT_EQ(seen.mismatched, 0) << "plugin " << plugin;
      EXPECT_EQ(seen.matched, seen.events) << "plugin " << plugin;
      if (plugin == kNoData) {
        EXPECT_EQ(seen.non_null, 0) << "code_data_size 0 must see NULL";
      } else {
        EXPECT_EQ(seen.non_null, seen.events) << "plugin " << plugin;
      }
    }
  }
};

TEST_P(CodeDataSources, EveryEventCarriesTheReceivingPluginsOwnBytes) {
  LoadCheckers();
  ASSERT_TRUE(Run(R"PY(
    def leaf(n):
        return n * 2
    def gen():
        yield 1
        yield 2
    def raises():
        raise KeyError("k")
    def caller():
        total = sum(leaf(i) for i in range(3))
        total += len([1, 2]) + sum(gen())
        try:
            raises()
        except KeyError:
            pass
        return total
    for _ in range(4):
        caller()
  )PY"));
  ExpectAllMatched();
  PyObject* leaf = Eval("leaf.__code__");
  ASSERT_NE(leaf, nullptr);
  // Counted through the frame's pointer, read back through code_data: the
  // bytes are the plugin's own (each counts its own STARTs).
  EXPECT_EQ(starts_of(kWithData, leaf), 12);
  EXPECT_EQ(starts_of(kSmaller, leaf), 12);
  EXPECT_EQ(starts_of(kNoData, leaf), -1);
  Py_DECREF(leaf);
}

TEST_P(CodeDataSources, CodeStatesMadeBeforeThePluginGiveItsOverflowBytes) {
  LoadRecorder();
  ASSERT_TRUE(Run(R"PY(
    def early():
        return 1
    early()
  )PY"));
  // early's code state holds entries for the plugins loaded so far; the
  // checkers' entries come in an overflow block.
  LoadCheckers();
  ASSERT_TRUE(Run("for _ in range(3):\n    early()\n"));
  ExpectAllMatched();
  PyObject* early = Eval("early.__code__");
  ASSERT_NE(early, nullptr);
  EXPECT_EQ(starts_of(kWithData, early), 3);
  EXPECT_EQ(starts_of(kSmaller, early), 3);
  Py_DECREF(early);
}

TEST_P(CodeDataSources, EvaluatorsGetTheirOwnBytesBesideAnObserver) {
  Load("code_data", "name='code_data_evaluator'");
  Load("code_data", "name='code_data'");
  ASSERT_TRUE(Run(R"PY(
    def leaf(n):
        return n * 2
    for i in range(5):
        leaf(i)
  )PY"));
  constexpr int kEvaluator = 3;
  Checks offers = checks_of(kEvaluator);
  EXPECT_GT(offers.events, 0);
  EXPECT_EQ(offers.mismatched, 0);
  EXPECT_EQ(offers.matched, offers.events);
  EXPECT_EQ(offers.non_null, offers.events);
  Checks observed = checks_of(kWithData);
  EXPECT_GT(observed.events, 0);
  EXPECT_EQ(observed.matched, observed.events);
  PyObject* leaf = Eval("leaf.__code__");
  ASSERT_NE(leaf, nullptr);
  // Each counted in its own bytes: five offers, five STARTs.
  EXPECT_EQ(starts_of(kEvaluator, leaf), 5);
  EXPECT_EQ(starts_of(kWithData, leaf), 5);
  Py_DECREF(leaf);
}

INSTANTIATE_TEST_SUITE_P(Sources, CodeDataSources,
                         ::testing::Values("eval_frame", "monitoring"),
                         [](const auto& info) {
                           return std::string(info.param);
                         });

}  // namespace
}  // namespace pyhooks::testing
