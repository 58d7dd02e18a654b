// tests/embedded/python_fixture.h - a GoogleTest fixture around an embedded
// CPython with the staged pyhooks package importable (after CinderX's
// RuntimeTest).
//
// The interpreter starts once per test binary; each test loads the plugins
// it needs and the fixture shuts them all down afterwards, so tests are
// independent. Test code runs from the file name "<pyhooks-test>", which the
// recorder plugin's `filename` option uses to ignore everything else.
#pragma once

#include <Python.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pyhooks::testing {

constexpr const char* kTestFile = "<pyhooks-test>";

// Path of test plugin variant `name` (tests/plugins).
std::string plugin_path(const std::string& name);
// The CPython minor this binary embeds (11, 12, 13).
int python_minor();

// `symbol` of test plugin variant `name`, which must be loaded already
// (RTLD_NOLOAD); nullptr, with a test failure, when it is not.
void* loaded_plugin_symbol(const std::string& name, const char* symbol);
template <typename Function>
Function loaded_plugin_function(const std::string& name, const char* symbol) {
  return reinterpret_cast<Function>(loaded_plugin_symbol(name, symbol));
}
// The lines loaded test plugin variant `name` recorded since the last call
// (its pyhooks_test_take_events), one per event.
std::vector<std::string> take_plugin_lines(const std::string& name);

class PythonTest : public ::testing::Test {
 protected:
  void TearDown() override;

  // Runs `source` (dedented) in this test's namespace (kept from one Run to
  // the next); on an exception the test fails with the traceback. Returns
  // false if it raised.
  bool Run(const std::string& source);
  // Like Run, but returns the text of the exception raised ("" if none).
  std::string RunExpectingError(const std::string& source);
  // Evaluates an expression in the test's namespace; new reference.
  PyObject* Eval(const std::string& expression);
  long EvalLong(const std::string& expression);

  // pyhooks.load(<variant path>, **kwargs-source), e.g.
  // Load("recorder", "options={'filename': '<pyhooks-test>'}").
  void Load(const std::string& variant, const std::string& arguments = "");
  // Loads the recorder watching only test code.
  void LoadRecorder(const std::string& extra_options = "");
  // The recorder's log since the last call.
  std::vector<std::string> TakeEvents();
  // Chooses the observer event source for this test (skips the test if this
  // CPython cannot provide it).
  void UseEventSource(const std::string& source);

 private:
  PyObject* namespace_ = nullptr;
};

// Tests that run once per event source: "eval_frame" everywhere, and
// "monitoring" on 3.12+.
class EventSourceTest : public PythonTest,
                        public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override;
};

std::string dedent(const std::string& source);

}  // namespace pyhooks::testing
