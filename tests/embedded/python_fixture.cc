// tests/embedded/python_fixture.cc - starting CPython, running test code,
// reading the recorder plugin's log.
#include "python_fixture.h"

#include <dlfcn.h>

#include <cstdlib>
#include <sstream>

namespace pyhooks::testing {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string python_error_text() {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  std::string text = "?";
  PyObject* module = PyImport_ImportModule("traceback");
  PyObject* lines =
      module ? PyObject_CallMethod(
                   module, "format_exception", "OOO", type ? type : Py_None,
                   value ? value : Py_None, traceback ? traceback : Py_None)
             : nullptr;
  if (lines != nullptr) {
    PyObject* empty = PyUnicode_FromString("");
    PyObject* joined = PyUnicode_Join(empty, lines);
    if (joined != nullptr) text = PyUnicode_AsUTF8(joined);
    Py_XDECREF(joined);
    Py_XDECREF(empty);
  }
  PyErr_Clear();
  Py_XDECREF(lines);
  Py_XDECREF(module);
  Py_XDECREF(type);
  Py_XDECREF(value);
  Py_XDECREF(traceback);
  return text;
}

class Interpreter : public ::testing::Environment {
 public:
  void SetUp() override {
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    PyConfig_SetBytesString(&config, &config.home, PYHOOKS_TEST_PYTHON_HOME);
    config.install_signal_handlers = 0;
    PyStatus status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    ASSERT_FALSE(PyStatus_Exception(status)) << status.err_msg;
    std::string stage = env("PYHOOKS_STAGE");
    ASSERT_FALSE(stage.empty()) << "PYHOOKS_STAGE is not set";
    std::string setup =
        "import sys\n"
        "sys.path.insert(0, '" +
        stage +
        "/lib/pyhooks/python')\n"
        "sys.path.insert(0, '" +
        env("PYHOOKS_TEST_EXT_DIR") +
        "')\n"
        "import pyhooks\n";
    ASSERT_EQ(PyRun_SimpleString(setup.c_str()), 0);
  }
  void TearDown() override { Py_FinalizeEx(); }
};

const ::testing::Environment* const interpreter =
    ::testing::AddGlobalTestEnvironment(new Interpreter);

}  // namespace

std::string dedent(const std::string& source) {
  std::istringstream in(source);
  std::vector<std::string> lines;
  size_t indent = std::string::npos;
  for (std::string line; std::getline(in, line);) {
    size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && first < indent) indent = first;
    lines.push_back(line);
  }
  std::string out;
  for (const std::string& line : lines) {
    out += (line.size() >= indent ? line.substr(indent) : "") + "\n";
  }
  return out;
}

std::string plugin_path(const std::string& name) {
  return env("PYHOOKS_TEST_PLUGIN_DIR") + "/pyhooks_test_" + name + ".so";
}

void* loaded_plugin_symbol(const std::string& name, const char* symbol) {
  void* library = dlopen(plugin_path(name).c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(library, nullptr) << "the " << name << " plugin is not loaded";
  if (library == nullptr) return nullptr;
  void* found = dlsym(library, symbol);
  dlclose(library);
  return found;
}

std::vector<std::string> take_plugin_lines(const std::string& name) {
  std::vector<std::string> lines;
  auto take = loaded_plugin_function<size_t (*)(char*, size_t)>(
      name, "pyhooks_test_take_events");
  if (take == nullptr) return lines;
  std::string buffer(take(nullptr, 0) + 1, '\0');
  take(buffer.data(), buffer.size());
  size_t start = 0;
  for (size_t end; (end = buffer.find('\n', start)) != std::string::npos;
       start = end + 1) {
    lines.push_back(buffer.substr(start, end - start));
  }
  return lines;
}

int python_minor() { return PY_MINOR_VERSION; }

void PythonTest::TearDown() {
  Run("import pyhooks\npyhooks.shutdown()\npyhooks.set_event_source('auto')\n");
  TakeEvents();
  Py_CLEAR(namespace_);
}

std::string PythonTest::RunExpectingError(const std::string& source) {
  if (namespace_ == nullptr) {
    namespace_ = PyDict_New();
    PyDict_SetItemString(namespace_, "__builtins__", PyEval_GetBuiltins());
    PyObject* name = PyUnicode_FromString("pyhooks_test");
    PyDict_SetItemString(namespace_, "__name__", name);
    Py_XDECREF(name);
  }
  PyObject* code =
      Py_CompileString(dedent(source).c_str(), kTestFile, Py_file_input);
  PyObject* result =
      code ? PyEval_EvalCode(code, namespace_, namespace_) : nullptr;
  Py_XDECREF(code);
  if (result == nullptr) {
    return python_error_text();
  }
  Py_DECREF(result);
  return "";
}

bool PythonTest::Run(const std::string& source) {
  std::string error = RunExpectingError(source);
  EXPECT_EQ(error, "") << "while running:\n" << dedent(source);
  return error.empty();
}

PyObject* PythonTest::Eval(const std::string& expression) {
  PyObject* result =
      PyRun_String(expression.c_str(), Py_eval_input, namespace_, namespace_);
  if (result == nullptr) {
    ADD_FAILURE() << expression << ": " << python_error_text();
  }
  return result;
}

long PythonTest::EvalLong(const std::string& expression) {
  PyObject* value = Eval(expression);
  long result = value ? PyLong_AsLong(value) : -1;
  Py_XDECREF(value);
  return result;
}

void PythonTest::Load(const std::string& variant,
                      const std::string& arguments) {
  std::string call = "import pyhooks\npyhooks.load('" + plugin_path(variant) +
                     "'" + (arguments.empty() ? "" : ", " + arguments) + ")\n";
  ASSERT_TRUE(Run(call));
}

void PythonTest::LoadRecorder(const std::string& extra_options) {
  Load("recorder",
       "name='recorder', options={'filename': '" + std::string(kTestFile) +
           "'" + (extra_options.empty() ? "" : ", " + extra_options) + "}");
  TakeEvents();
}

std::vector<std::string> PythonTest::TakeEvents() {
  std::vector<std::string> events;
  void* library =
      dlopen(plugin_path("recorder").c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (library == nullptr) {
    return events;  // never loaded
  }
  using Take = size_t (*)(char*, size_t);
  auto take =
      reinterpret_cast<Take>(dlsym(library, "pyhooks_test_take_events"));
  std::string buffer(take(nullptr, 0) + 1, '\0');
  take(buffer.data(), buffer.size());
  dlclose(library);  // drops only the reference RTLD_NOLOAD added
  std::istringstream in(buffer.c_str());
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) events.push_back(line);
  }
  return events;
}

void PythonTest::UseEventSource(const std::string& source) {
  if (source == "monitoring" && python_minor() < 12) {
    GTEST_SKIP() << "sys.monitoring needs CPython 3.12+";
  }
  ASSERT_TRUE(
      Run("import pyhooks\npyhooks.set_event_source('" + source + "')\n"));
}

void EventSourceTest::SetUp() { UseEventSource(GetParam()); }

}  // namespace pyhooks::testing
