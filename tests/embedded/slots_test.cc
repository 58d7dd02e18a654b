// tests/embedded/slots_test.cc - per-code storage over one co_extra index:
// inline data, free callbacks (at code death and at shutdown), plugins that
// arrive after code objects already have state.
#include <dlfcn.h>

#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

template <typename Function>
Function slot_user_function(const char* symbol) {
  void* library =
      dlopen(plugin_path("slot_user").c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(library, nullptr);
  auto function = reinterpret_cast<Function>(dlsym(library, symbol));
  dlclose(library);
  return function;
}

int64_t starts_of(PythonTest* test, PyObject* code) {
  (void)test;
  auto starts =
      slot_user_function<int64_t (*)(PyObject*)>("pyhooks_test_starts");
  return starts(code);
}

int64_t code_frees() {
  return slot_user_function<int64_t (*)()>("pyhooks_test_code_frees")();
}

TEST_F(PythonTest, InlineDataIsPerCodeAndZeroed) {
  Load("slot_user");
  Run(R"PY(
    def f():
        return 1
    def g():
        return 2
    for _ in range(5):
        f()
    g()
  )PY");
  PyObject* f_code = Eval("f.__code__");
  PyObject* g_code = Eval("g.__code__");
  EXPECT_EQ(starts_of(this, f_code), 5);
  EXPECT_EQ(starts_of(this, g_code), 1);
  Py_XDECREF(f_code);
  Py_XDECREF(g_code);
}

TEST_F(PythonTest, CodeFreeRunsWhenTheCodeDiesAndAtShutdown) {
  Load("slot_user");
  int64_t before = code_frees();
  Run(R"PY(
    import gc
    namespace = {}
    exec("def temporary():\n    return 3\n", namespace)
    namespace["temporary"]()
    del namespace
    gc.collect()
    def survivor():
        return 4
    survivor()
  )PY");
  // temporary's code object died: its slot was released.
  int64_t after_death = code_frees();
  EXPECT_GE(after_death, before + 1);
  // Unloading releases every code object the plugin still holds data for
  // (survivor and this test's module code at least).
  Run("import pyhooks\npyhooks.unload('slot_user')\n");
  EXPECT_GE(code_frees(), after_death + 2);
}

TEST_F(PythonTest, PluginsLoadedLaterGetSlotsInExistingCodeState) {
  LoadRecorder();
  Run(R"PY(
    def f():
        return 1
    f()
  )PY");
  // f's code state exists, sized for the recorder alone; slot_user's entry
  // lives in an overflow block created on first use.
  Load("slot_user");
  Run("for _ in range(3):\n    f()\n");
  PyObject* f_code = Eval("f.__code__");
  EXPECT_EQ(starts_of(this, f_code), 3);
  Py_XDECREF(f_code);
}

}  // namespace
}  // namespace pyhooks::testing
