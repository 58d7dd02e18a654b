// tests/embedded/host_api_test.cc - host functions called as a plugin calls
// them, through the handle of the `probe` test plugin (api_probe.c), and
// what it logs from inside its callbacks (plugin ABI policies HOST-13 and
// the ABI 1.1 rows HOST-15 .. HOST-17 of docs/internals/plugin-abi.md).
#include <pyhooks/plugin.h>

#include <cstring>
#include <string>
#include <vector>

#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

// ABI 1.0's sizeof(pyhooks_code_info): what a plugin built then passes.
constexpr uint32_t kCodeInfoSize10 =
    offsetof(pyhooks_code_info, flags) + sizeof(pyhooks_code_info::flags);

template <typename Function>
Function probe_function(const char* symbol) {
  return loaded_plugin_function<Function>("probe", symbol);
}

std::vector<std::string> probe_lines() { return take_plugin_lines("probe"); }

class HostApi : public PythonTest {
 protected:
  void SetUp() override {
    Load("probe");
    auto self =
        probe_function<pyhooks_plugin* (*)()>("pyhooks_test_probe_self");
    ASSERT_NE(self, nullptr);
    self_ = self();
    ASSERT_NE(self_, nullptr);
    api_ = self_->api;
  }

  pyhooks_plugin* self_ = nullptr;
  const pyhooks_host_api* api_ = nullptr;
};

// The same frame accessors through each event source (3.12+: sys.monitoring
// and the hook; 3.11: the hook).
class HostApiSources : public EventSourceTest {
 protected:
  void SetUp() override {
    EventSourceTest::SetUp();
    if (IsSkipped()) return;
    Load("probe");
    probe_lines();
  }
};

TEST_F(HostApi, CodeInfoAcceptsEverySizeFromTheOldest) {
  ASSERT_TRUE(Run("def probe_named(a, b):\n    return a\n"));
  PyObject* code = Eval("probe_named.__code__");
  ASSERT_NE(code, nullptr);

  // A 1.0 plugin's struct, with canary bytes after it: filled, and not one
  // byte written past its struct_size.
  unsigned char buffer[sizeof(pyhooks_code_info) + 64];
  std::memset(buffer, 0xAB, sizeof(buffer));
  auto* old_info = reinterpret_cast<pyhooks_code_info*>(buffer);
  old_info->struct_size = kCodeInfoSize10;
  ASSERT_EQ(api_->code_info(self_, code, old_info), PYHOOKS_OK);
  EXPECT_STREQ(old_info->name, "probe_named");
  EXPECT_STREQ(old_info->qualname, "probe_named");
  EXPECT_STREQ(old_info->filename, kTestFile);
  EXPECT_EQ(old_info->flags, 0u);
  for (size_t i = kCodeInfoSize10; i < sizeof(buffer); ++i) {
    ASSERT_EQ(buffer[i], 0xAB) << "byte " << i << " past struct_size written";
  }

  // The current size works too; a size below 1.0's is refused.
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  EXPECT_EQ(api_->code_info(self_, code, &info), PYHOOKS_OK);
  EXPECT_EQ(info.first_line, 1);
  info.struct_size = kCodeInfoSize10 - 1;
  EXPECT_EQ(api_->code_info(self_, code, &info), PYHOOKS_E_INVALID);
  Py_DECREF(code);
}

TEST_F(HostApi, CodeInfoFillsTheMembersOf11) {
  ASSERT_TRUE(
      Run("def probe_sizes(a, b, *rest, key=1, **more):\n"
          "    total = a + b\n"
          "    return lambda: total\n"));
  PyObject* code = Eval("probe_sizes.__code__");
  ASSERT_NE(code, nullptr);
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  ASSERT_EQ(api_->code_info(self_, code, &info), PYHOOKS_OK);
  EXPECT_EQ(info.arg_count, 3);  // a, b, key
  EXPECT_EQ(info.local_count,
            EvalLong("len(probe_sizes.__code__.co_varnames)"
                     " + len(probe_sizes.__code__.co_cellvars)"
                     " + len(probe_sizes.__code__.co_freevars)"));
  const char* name = nullptr;
  uint32_t kind = 99;
  ASSERT_EQ(api_->code_local(self_, code, 0, &name, &kind), PYHOOKS_OK);
  EXPECT_STREQ(name, "a");
  EXPECT_EQ(kind, 0u);
  // `total` is captured by the lambda: a cell slot.
  bool found_cell = false;
  for (int32_t i = 0; i < info.local_count; ++i) {
    ASSERT_EQ(api_->code_local(self_, code, i, &name, &kind), PYHOOKS_OK);
    if (std::string(name) == "total") {
      found_cell = (kind & PYHOOKS_LOCAL_CELL) != 0;
    }
  }
  EXPECT_TRUE(found_cell);
  EXPECT_EQ(api_->code_local(self_, code, info.local_count, &name, &kind),
            PYHOOKS_E_INVALID);
  EXPECT_EQ(api_->code_local(self_, code, -1, nullptr, nullptr),
            PYHOOKS_E_INVALID);
  Py_DECREF(code);
}

TEST_F(HostApi, ThreadInfoNamesThreadsAndCachesThem) {
  ASSERT_TRUE(Run(R"PY(
    import threading
    ready, done = threading.Event(), threading.Event()
    def body():
        ready.set()
        done.wait()
    worker = threading.Thread(target=body, name="probe-worker")
    worker.start()
    ready.wait()
  )PY"));
  auto ident = static_cast<uint64_t>(EvalLong("worker.ident"));
  pyhooks_thread_info info = {};
  info.struct_size = sizeof(info);
  // Asked from the main thread about another thread, then again (cached).
  for (int round = 0; round < 2; ++round) {
    ASSERT_EQ(api_->thread_info(self_, ident, &info), PYHOOKS_OK);
    EXPECT_STREQ(info.name, "probe-worker");
    EXPECT_EQ(info.native_id,
              static_cast<uint64_t>(EvalLong("worker.native_id")));
  }
  auto main_ident =
      static_cast<uint64_t>(EvalLong("threading.main_thread().ident"));
  ASSERT_EQ(api_->thread_info(self_, main_ident, &info), PYHOOKS_OK);
  EXPECT_STREQ(info.name, "MainThread");
  EXPECT_EQ(info.native_id,
            static_cast<uint64_t>(EvalLong("threading.get_native_id()")));
  ASSERT_TRUE(Run("done.set()\nworker.join()\n"));
  EXPECT_EQ(api_->thread_info(self_, ident, &info), PYHOOKS_E_NOT_FOUND);
  info.struct_size = 4;
  EXPECT_EQ(api_->thread_info(self_, main_ident, &info), PYHOOKS_E_INVALID);
}

TEST_F(HostApi, ValueTypeNameNamesTypesWithoutRunningPython) {
  ASSERT_TRUE(Run(R"PY(
    import collections, json
    class Loud(type):
        def __getattribute__(cls, name):
            raise AssertionError("metaclass code ran")
    class Outer:
        class Inner(ValueError, metaclass=Loud):
            pass
    try:
        json.loads("{")
    except ValueError as error:
        json_error = error
    inner = Outer.Inner()
    naming_cases = [(ValueError("x"), "ValueError"), (3, "int"),
                    (collections.OrderedDict(), "collections.OrderedDict"),
                    (json_error, "json.decoder.JSONDecodeError"),
                    (inner, "pyhooks_test.Outer.Inner"),
                    (Outer(), "pyhooks_test.Outer")]
  )PY"));
  long count = EvalLong("len(naming_cases)");
  char out[64];
  for (long i = 0; i < count; ++i) {
    std::string index = std::to_string(i);
    PyObject* value = Eval("naming_cases[" + index + "][0]");
    PyObject* expected = Eval("naming_cases[" + index + "][1]");
    ASSERT_EQ(api_->value_type_name(self_, value, out, sizeof(out)),
              PYHOOKS_OK);
    EXPECT_STREQ(out, PyUnicode_AsUTF8(expected));
    Py_DECREF(value);
    Py_DECREF(expected);
  }
  // Cut at a character boundary: "é" is 2 bytes.
  ASSERT_TRUE(Run("class Caf\u00e9: pass\ncafe = Caf\u00e9()\n"));
  PyObject* cafe = Eval("cafe");
  char tiny[18];  // room for 17 bytes: the cut falls inside "é" (2 bytes)
  ASSERT_EQ(api_->value_type_name(self_, cafe, tiny, sizeof(tiny)), PYHOOKS_OK);
  EXPECT_STREQ(tiny, "pyhooks_test.Caf");
  EXPECT_EQ(api_->value_type_name(self_, cafe, tiny, 0), PYHOOKS_E_INVALID);
  EXPECT_EQ(api_->value_type_name(self_, nullptr, tiny, sizeof(tiny)),
            PYHOOKS_E_INVALID);
  Py_DECREF(cafe);
  EXPECT_FALSE(PyErr_Occurred());
}

TEST_F(HostApi, OnChainChangedTellsEveryActivePluginOfEachChange) {
  std::vector<std::string> joined = probe_lines();
  ASSERT_FALSE(joined.empty()) << "the probe was not told it joined";
  EXPECT_EQ(joined.back().rfind("chain changed ", 0), 0u) << joined.back();
  LoadRecorder();  // a later observer arrives
  std::vector<std::string> arrived = probe_lines();
  ASSERT_EQ(arrived.size(), 1u);
  ASSERT_TRUE(Run("pyhooks.unload('recorder')\n"));
  std::vector<std::string> left = probe_lines();
  ASSERT_EQ(left.size(), 1u);
  // Generations only grow.
  auto generation = [](const std::string& line) {
    return std::stoul(line.substr(std::string("chain changed ").size()));
  };
  EXPECT_LT(generation(joined.back()), generation(arrived[0]));
  EXPECT_LT(generation(arrived[0]), generation(left[0]));
  // Disabling a plugin that is already disabled changes nothing: no call.
  ASSERT_TRUE(Run(R"PY(
    pyhooks.disable('probe')
    pyhooks.disable('probe')
    pyhooks.enable('probe')
  )PY"));
  EXPECT_EQ(probe_lines().size(), 1u);  // only the enable: probe was out
}

TEST_P(HostApiSources, FrameAccessorsSeeLocalsBuiltinsAndThread) {
  ASSERT_TRUE(Run(R"PY(
    import threading
    def probe_outer(x):
        captured = x * 2
        def probe_inner(y, z=5):
            w = y + z
            return captured + w
        return probe_inner
    inner = probe_outer(1)
    inner(10)
  )PY"));
  std::string native = std::to_string(EvalLong("threading.get_native_id()"));
  std::vector<std::string> expected = {
      "start probe_outer args=1 locals=3 builtins=dict-with-len",
      "local 0 x plain 1",
      "local 1 probe_inner plain <unbound>",
      "local 2 captured cell <unbound>",
      "thread MainThread " + native,
      "return probe_outer args=1 locals=3 builtins=none -> function",
      "start probe_outer.<locals>.probe_inner args=2 locals=4 "
      "builtins=dict-with-len",
      "local 0 y plain 10",
      "local 1 z plain 5",
      "local 2 w plain <unbound>",
      "local 3 captured free 2",
      "thread MainThread " + native,
      "return probe_outer.<locals>.probe_inner args=2 locals=4 builtins=none "
      "-> int",
  };
  EXPECT_EQ(probe_lines(), expected);
}

TEST_P(HostApiSources, GeneratorResumesSeeTheirCurrentLocals) {
  ASSERT_TRUE(Run(R"PY(
    def probe_counter(limit):
        count = 0
        while count < limit:
            count += 1
            yield count
    list(probe_counter(2))
  )PY"));
  std::vector<std::string> lines = probe_lines();
  std::vector<std::string> seen;
  for (const std::string& line : lines) {
    if (line.rfind("local 1 ", 0) == 0 || line.rfind("yield", 0) == 0 ||
        line.rfind("return", 0) == 0) {
      seen.push_back(line);
    }
  }
  // START (count unbound), then each RESUME after a yield; each exit with
  // its value's type.
  std::vector<std::string> expected = {
      "local 1 count plain <unbound>",
      "yield probe_counter args=1 locals=2 builtins=none -> int",
      "local 1 count plain 1",
      "yield probe_counter args=1 locals=2 builtins=none -> int",
      "local 1 count plain 2",
      "return probe_counter args=1 locals=2 builtins=none -> NoneType"};
  EXPECT_EQ(seen, expected);
}

TEST_P(HostApiSources, UnwindCarriesTheExceptionLeavingTheFrame) {
  ASSERT_TRUE(Run(R"PY(
    def probe_raises():
        raise KeyError("gone")
    def probe_catches():
        try:
            probe_raises()
        except KeyError as error:
            return error
    caught = probe_catches()
  )PY"));
  std::vector<std::string> exits;
  for (const std::string& line : probe_lines()) {
    if (line.rfind("unwind", 0) == 0 || line.rfind("return", 0) == 0) {
      exits.push_back(line);
    }
  }
  std::vector<std::string> expected = {
      "unwind probe_raises args=0 locals=0 builtins=none -> KeyError",
      "return probe_catches args=0 locals=1 builtins=none -> KeyError"};
  EXPECT_EQ(exits, expected);
}

INSTANTIATE_TEST_SUITE_P(Sources, HostApiSources,
                         ::testing::Values("eval_frame", "monitoring"),
                         [](const auto& info) {
                           return std::string(info.param);
                         });

}  // namespace
}  // namespace pyhooks::testing
