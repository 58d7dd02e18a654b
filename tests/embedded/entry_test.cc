// tests/embedded/entry_test.cc - watchers and host-mediated function entries
// (ABI 1.1, plugin ABI policies HOST-24 and HOST-25 of
// docs/internals/plugin-abi.md), exercised through the `router` test plugin
// (tests/plugins/entry_router.c): 3.12+ serve both, 3.11 answers
// E_UNSUPPORTED.
#include <pyhooks/plugin.h>

#include <string>
#include <vector>

#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

template <typename Function>
Function router_function(const char* symbol) {
  return loaded_plugin_function<Function>("router", symbol);
}

std::vector<std::string> router_lines() { return take_plugin_lines("router"); }

using Strings = std::vector<std::string>;

class Entry : public PythonTest {
 protected:
  void SetUp() override {
    Load("router", "name='router'");
    router_lines();
  }

  // The router's host functions, on the object `expression` evaluates to.
  int Watch(int kind, const std::string& expression, long cookie = 1) {
    return Call("pyhooks_test_router_watch", kind, expression, cookie);
  }
  int Unwatch(int kind, const std::string& expression) {
    PyObject* object = Eval(expression);
    auto unwatch =
        router_function<int (*)(int, PyObject*)>("pyhooks_test_router_unwatch");
    int status = object && unwatch ? unwatch(kind, object) : -100;
    Py_XDECREF(object);
    return status;
  }
  int Route(const std::string& expression, long cookie = 1) {
    PyObject* object = Eval(expression);
    auto route =
        router_function<int (*)(PyObject*, long)>("pyhooks_test_router_route");
    int status = object && route ? route(object, cookie) : -100;
    Py_XDECREF(object);
    return status;
  }
  int Unroute(const std::string& expression) {
    PyObject* object = Eval(expression);
    auto unroute =
        router_function<int (*)(PyObject*)>("pyhooks_test_router_unroute");
    int status = object && unroute ? unroute(object) : -100;
    Py_XDECREF(object);
    return status;
  }

 private:
  int Call(const char* symbol, int kind, const std::string& expression,
           long cookie) {
    PyObject* object = Eval(expression);
    auto function = router_function<int (*)(int, PyObject*, long)>(symbol);
    int status = object && function ? function(kind, object, cookie) : -100;
    Py_XDECREF(object);
    return status;
  }
};

// 3.12+ only.
class Entry312 : public Entry {
 protected:
  void SetUp() override {
    if (python_minor() < 12) GTEST_SKIP() << "watchers need CPython 3.12+";
    Entry::SetUp();
  }
};

#if PY_VERSION_HEX >= 0x030C0000
// How many dict and function watcher ids CPython still has free in this
// interpreter (taken and given back).
int free_watcher_ids(int (*add)(void*), int (*clear)(int)) {
  std::vector<int> taken;
  for (int id; (id = add(nullptr)) >= 0;) taken.push_back(id);
  PyErr_Clear();
  for (int id : taken) clear(id);
  return static_cast<int>(taken.size());
}
int free_dict_ids() {
  return free_watcher_ids(
      [](void*) {
        return PyDict_AddWatcher([](PyDict_WatchEvent, PyObject*, PyObject*,
                                    PyObject*) { return 0; });
      },
      PyDict_ClearWatcher);
}
int free_function_ids() {
  return free_watcher_ids(
      [](void*) {
        return PyFunction_AddWatcher([](PyFunction_WatchEvent,
                                        PyFunctionObject*,
                                        PyObject*) { return 0; });
      },
      PyFunction_ClearWatcher);
}
#endif

TEST_F(Entry, UnsupportedOn311) {
  if (python_minor() >= 12) GTEST_SKIP() << "3.12+ serve watchers";
  ASSERT_TRUE(Run("d = {}\ndef f(a, b):\n    return a + b\n"));
  for (int kind : {PYHOOKS_WATCH_DICT, PYHOOKS_WATCH_FUNCTION}) {
    EXPECT_EQ(Watch(kind, kind == PYHOOKS_WATCH_DICT ? "d" : "f"),
              PYHOOKS_E_UNSUPPORTED);
  }
  EXPECT_EQ(Unwatch(PYHOOKS_WATCH_DICT, "d"), PYHOOKS_E_UNSUPPORTED);
  EXPECT_EQ(Route("f"), PYHOOKS_E_UNSUPPORTED);
  EXPECT_EQ(Unroute("f"), PYHOOKS_E_UNSUPPORTED);
  EXPECT_EQ(EvalLong("f(1, 2)"), 3);
  EXPECT_TRUE(router_lines().empty());
}

TEST_F(Entry312, DictWatcherReportsKeysAndValuesUntilUnwatched) {
  ASSERT_TRUE(Run("d = {}\nother = {'y': 5}\n"));
  EXPECT_EQ(Watch(PYHOOKS_WATCH_DICT, "d", 7), PYHOOKS_OK);
  EXPECT_EQ(Watch(PYHOOKS_WATCH_DICT, "[]"), PYHOOKS_E_INVALID);
  EXPECT_EQ(Watch(PYHOOKS_WATCH_FUNCTION, "d"), PYHOOKS_E_INVALID);
  EXPECT_EQ(Watch(17, "d"), PYHOOKS_E_INVALID);
  ASSERT_TRUE(Run(R"PY(
    d['x'] = 1
    d['x'] = 2
    del d['x']
    d.update(other)
    d.clear()
    other['z'] = 1
  )PY"));
  EXPECT_EQ(router_lines(), (Strings{"watch dict added x 1 cookie=7",
                                     "watch dict modified x 2 cookie=7",
                                     "watch dict deleted x - cookie=7",
                                     "watch dict cloned - <dict> cookie=7",
                                     "watch dict cleared - - cookie=7"}));
  EXPECT_EQ(Unwatch(PYHOOKS_WATCH_DICT, "d"), PYHOOKS_OK);
  EXPECT_EQ(Unwatch(PYHOOKS_WATCH_DICT, "d"), PYHOOKS_E_NOT_FOUND);
  ASSERT_TRUE(Run("d['x'] = 3\n"));
  EXPECT_TRUE(router_lines().empty());
  // A dict that dies while watched says so, once, and is forgotten.
  EXPECT_EQ(Watch(PYHOOKS_WATCH_DICT, "d", 8), PYHOOKS_OK);
  ASSERT_TRUE(Run("del d\n"));
  EXPECT_EQ(router_lines(), (Strings{"watch dict destroyed - - cookie=8"}));
}

TEST_F(Entry312, FunctionCodeAndTypeWatchersSeeTheirChanges) {
  ASSERT_TRUE(Run(R"PY(
    def f(a=1):
        return a
    def g(a=1):
        return -a
    class C:
        pass
    C.attr = 0
    C().attr  # gives C a valid type version, so changes are reported
    code = compile('1', 'c', 'eval')
  )PY"));
  EXPECT_EQ(Watch(PYHOOKS_WATCH_FUNCTION, "f", 2), PYHOOKS_OK);
  EXPECT_EQ(Watch(PYHOOKS_WATCH_TYPE, "C", 3), PYHOOKS_OK);
  EXPECT_EQ(Watch(PYHOOKS_WATCH_CODE, "code", 4), PYHOOKS_OK);
  ASSERT_TRUE(Run(R"PY(
    f.__defaults__ = (5,)
    f.__kwdefaults__ = None
    f.__code__ = g.__code__
    g.__defaults__ = (6,)
    C.attr = 1
    del f, code
  )PY"));
  Strings lines = router_lines();
  EXPECT_EQ(lines, (Strings{"watch function defaults - <object> cookie=2",
                            "watch function kwdefaults - - cookie=2",
                            "watch function code - <object> cookie=2",
                            "watch type modified - - cookie=3",
                            "watch function destroyed - - cookie=2",
                            "watch code destroyed - - cookie=4"}));
}

#if PY_VERSION_HEX >= 0x030C0000
TEST_F(Entry312, WatcherIdsAreTakenLazilyAndGivenBack) {
  ASSERT_TRUE(Run("import pyhooks\npyhooks.unload('router')\n"));
  int dict_ids = free_dict_ids();
  int function_ids = free_function_ids();
  Load("router", "name='router'");
  EXPECT_EQ(free_dict_ids(), dict_ids) << "taken before anyone watched";
  ASSERT_TRUE(Run("d = {}\ne = {}\ndef f():\n    pass\n"));
  EXPECT_EQ(Watch(PYHOOKS_WATCH_DICT, "d"), PYHOOKS_OK);
  EXPECT_EQ(Watch(PYHOOKS_WATCH_DICT, "e"), PYHOOKS_OK);
  EXPECT_EQ(Watch(PYHOOKS_WATCH_FUNCTION, "f"), PYHOOKS_OK);
  EXPECT_EQ(free_dict_ids(), dict_ids - 1) << "one id per kind";
  EXPECT_EQ(free_function_ids(), function_ids - 1);
  EXPECT_EQ(Unwatch(PYHOOKS_WATCH_DICT, "d"), PYHOOKS_OK);
  EXPECT_EQ(free_dict_ids(), dict_ids - 1) << "e is still watched";
  EXPECT_EQ(Unwatch(PYHOOKS_WATCH_DICT, "e"), PYHOOKS_OK);
  EXPECT_EQ(free_dict_ids(), dict_ids) << "given back when unused";
  // Unloading the plugin ends its subscriptions and frees the id.
  ASSERT_TRUE(Run("import pyhooks\npyhooks.unload('router')\n"));
  EXPECT_EQ(free_function_ids(), function_ids);
  ASSERT_TRUE(Run("f.__defaults__ = ()\n"));
}
#endif

constexpr const char* kAdd = R"PY(
    def probe_add(a, b=10):
        return a + b
)PY";

TEST_F(Entry312, EntryHandlesWhatItCanAndCallsAsBeforeOtherwise) {
  ASSERT_TRUE(Run(kAdd));
  ASSERT_EQ(Route("probe_add", 5), PYHOOKS_OK);
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  EXPECT_EQ(EvalLong("probe_add(1)"), 11);
  EXPECT_EQ(EvalLong("probe_add(a=1, b=2)"), 3);
  EXPECT_EQ(EvalLong("probe_add(1, b=4)"), 5);
  EXPECT_EQ(EvalLong("probe_add(*(4, 5))"), 9);
  EXPECT_EQ(EvalLong("int(probe_add(1.5, 2) * 2)"), 7);
  EXPECT_EQ(EvalLong("sum(map(probe_add, [1, 2], [3, 4]))"), 10);
  EXPECT_EQ(
      router_lines(),
      (Strings{"entry handled cookie=5", "entry declined nargs=1 kw=0",
               "entry declined nargs=0 kw=2", "entry declined nargs=1 kw=1",
               "entry handled cookie=5", "entry declined nargs=2 kw=0",
               "entry handled cookie=5", "entry handled cookie=5"}));
  // The same exception as plain python, from CPython's own entry.
  std::string error = RunExpectingError("probe_add('a', 1)\n");
  EXPECT_NE(error.find("TypeError"), std::string::npos) << error;
  EXPECT_NE(error.find("can only concatenate str"), std::string::npos) << error;
  // A hot call site stays routed (the specializer does not inline it);
  // 1000 + i keeps clear of the router's sentinel arguments.
  EXPECT_EQ(router_lines(), (Strings{"entry declined nargs=2 kw=0"}));
  ASSERT_TRUE(
      Run("total = 0\nfor i in range(3000):\n"
          "    total += probe_add(1000 + i, 1)\n"));
  EXPECT_EQ(EvalLong("total"), 3000L * 2999 / 2 + 3000L * 1001);
  EXPECT_EQ(router_lines().size(), 3000u);
  ASSERT_TRUE(Run("probe_add(2, 2)\n"));
  EXPECT_EQ(router_lines().size(), 1u);
  EXPECT_EQ(Unroute("probe_add"), PYHOOKS_OK);
  EXPECT_EQ(router_lines(), (Strings{"undone cleared cookie=5"}));
  EXPECT_EQ(Unroute("probe_add"), PYHOOKS_E_NOT_FOUND);
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  EXPECT_TRUE(router_lines().empty());
}

TEST_F(Entry312, ErrorsPropagateAndABrokenEntryIsUndone) {
  ASSERT_TRUE(Run(kAdd));
  ASSERT_EQ(Route("probe_add", 6), PYHOOKS_OK);
  std::string error = RunExpectingError("probe_add(13, 1)\n");
  EXPECT_NE(error.find("ValueError: thirteen"), std::string::npos) << error;
  EXPECT_EQ(EvalLong("probe_add(666, 1)"), 667);  // called as before
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  EXPECT_EQ(router_lines(),
            (Strings{"entry error", "entry broken", "undone failed cookie=6"}));
}

TEST_F(Entry312, EntryIsUndoneWhenTheFunctionChangesOrDies) {
  ASSERT_TRUE(Run(kAdd));
  ASSERT_TRUE(Run("def probe_sub(a, b=10):\n    return a - b\n"));
  ASSERT_EQ(Route("probe_add", 1), PYHOOKS_OK);
  ASSERT_TRUE(Run("probe_add.__defaults__ = (20,)\n"));
  EXPECT_EQ(EvalLong("probe_add(1)"), 21);
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  EXPECT_EQ(router_lines(), (Strings{"undone modified cookie=1"}));
  ASSERT_EQ(Route("probe_add", 2), PYHOOKS_OK);
  ASSERT_TRUE(Run("probe_add.__code__ = probe_sub.__code__\n"));
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), -1);
  EXPECT_EQ(router_lines(), (Strings{"undone modified cookie=2"}));
  ASSERT_EQ(Route("probe_add", 3), PYHOOKS_OK);
  ASSERT_TRUE(Run("del probe_add\n"));
  EXPECT_EQ(router_lines(), (Strings{"undone destroyed cookie=3"}));
}

TEST_F(Entry312, EntryFollowsTheChain) {
  ASSERT_TRUE(Run(kAdd));
  ASSERT_EQ(Route("probe_add", 1), PYHOOKS_OK);
  // Routing again replaces the entry; the old one ends.
  ASSERT_EQ(Route("probe_add", 2), PYHOOKS_OK);
  EXPECT_EQ(router_lines(), (Strings{"undone cleared cookie=1"}));
  // An observer that watches the code arrives: the calls must reach it.
  LoadRecorder();
  EXPECT_EQ(router_lines(), (Strings{"undone chain cookie=2"}));
  EXPECT_EQ(Route("probe_add", 3), PYHOOKS_E_INVALID);
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  Strings events = TakeEvents();
  EXPECT_FALSE(events.empty());
  EXPECT_TRUE(router_lines().empty());
  ASSERT_TRUE(Run("import pyhooks\npyhooks.unload('recorder')\n"));
  // An outer evaluator that has not disabled the code sees it first.
  Load("passthrough_evaluator", "priority=900");
  EXPECT_EQ(Route("probe_add", 4), PYHOOKS_E_INVALID);
  ASSERT_TRUE(Run("pyhooks.unload('passthrough_evaluator')\n"));
  ASSERT_EQ(Route("probe_add", 5), PYHOOKS_OK);
  // Disabled: undone; unloaded: undone at its shutdown.
  ASSERT_TRUE(Run("pyhooks.disable('router')\n"));
  EXPECT_EQ(router_lines(), (Strings{"undone chain cookie=5"}));
  ASSERT_TRUE(Run("pyhooks.enable('router')\n"));
  ASSERT_EQ(Route("probe_add", 6), PYHOOKS_OK);
  ASSERT_TRUE(Run("pyhooks.unload('router')\n"));
  EXPECT_EQ(router_lines(), (Strings{"undone shutdown cookie=6"}));
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
}

TEST_F(Entry312, TracedThreadsAndBadRequestsUseCPythonsEntry) {
  ASSERT_TRUE(Run(kAdd));
  ASSERT_TRUE(Run("def probe_gen():\n    yield 1\n"));
  EXPECT_EQ(Route("len"), PYHOOKS_E_INVALID);
  EXPECT_EQ(Route("probe_gen"), PYHOOKS_E_INVALID);
  ASSERT_EQ(Route("probe_add", 1), PYHOOKS_OK);
  ASSERT_TRUE(Run(R"PY(
    import sys
    calls = []
    def tracer(frame, event, arg):
        if frame.f_code.co_name == 'probe_add':
            calls.append(event)
    sys.setprofile(tracer)
    traced = probe_add(1, 2)
    sys.setprofile(None)
  )PY"));
  EXPECT_EQ(EvalLong("traced"), 3);
  EXPECT_EQ(EvalLong("len(calls)"), 2);  // call and return, as plain python
  EXPECT_TRUE(router_lines().empty());
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  EXPECT_EQ(router_lines(), (Strings{"entry handled cookie=1"}));
}

// HOST-28: an entry evaluator asks for no eval-frame hook where CPython has
// function entries, and its routes work without one; any other evaluator
// brings the hook back. On 3.11 the capability changes nothing.
bool eval_frame_hooked() {
  return _PyInterpreterState_GetEvalFrameFunc(PyInterpreterState_Get()) !=
         _PyEval_EvalFrameDefault;
}

class EntryEvaluator : public PythonTest {};

TEST_F(EntryEvaluator, InstallsNoHookWhereCPythonHasEntries) {
  ASSERT_FALSE(eval_frame_hooked());
  Load("router", "name='entry_router'");
  router_lines();
  if (python_minor() < 12) {
    EXPECT_TRUE(eval_frame_hooked()) << "3.11: evaluated through the hook";
    ASSERT_TRUE(Run("import pyhooks\npyhooks.unload('entry_router')\n"));
    EXPECT_FALSE(eval_frame_hooked());
    return;
  }
  EXPECT_FALSE(eval_frame_hooked());
  ASSERT_TRUE(Run(kAdd));
  PyObject* function = Eval("probe_add");
  auto route =
      router_function<int (*)(PyObject*, long)>("pyhooks_test_router_route");
  ASSERT_NE(route, nullptr);
  EXPECT_EQ(route(function, 7), PYHOOKS_OK);
  Py_XDECREF(function);
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  EXPECT_EQ(router_lines(), (Strings{"entry handled cookie=7"}));
  // An evaluator without the capability needs the hook: it comes and goes.
  Load("passthrough_evaluator", "priority=100");
  EXPECT_TRUE(eval_frame_hooked());
  ASSERT_TRUE(Run("pyhooks.unload('passthrough_evaluator')\n"));
  EXPECT_FALSE(eval_frame_hooked());
  EXPECT_EQ(EvalLong("probe_add(1, 2)"), 3);
  EXPECT_EQ(router_lines(), (Strings{"entry handled cookie=7"}));
  ASSERT_TRUE(Run("pyhooks.unload('entry_router')\n"));
  EXPECT_EQ(router_lines(), (Strings{"undone shutdown cookie=7"}));
  EXPECT_FALSE(eval_frame_hooked());
}

}  // namespace
}  // namespace pyhooks::testing
