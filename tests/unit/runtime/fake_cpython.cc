// tests/unit/runtime/fake_cpython.cc - CPython and host entry points for
// runtime_unit_tests (see fake_cpython.h).
#include "fake_cpython.h"

#include <map>
#include <memory>
#include <set>
#include <utility>

#include "compat/compat.h"
#include "runtime/dispatch_context.h"
#include "runtime/frame_view.h"
#include "runtime/host_api.h"
#include "runtime/plugin_instance.h"
#include "runtime/report.h"

namespace {

struct FakeState {
  std::vector<std::unique_ptr<char>> codes;
  std::set<PyObject*> static_codes;
  std::map<std::pair<PyObject*, Py_ssize_t>, void*> extras;
  std::vector<freefunc> freefuncs;  // by index
  Py_ssize_t forced_index = -1;
  bool exhausted = false;
  bool fail_set_extra = false;
  std::string error;
  std::vector<std::string> reports;
  std::vector<std::string> failures;
};

FakeState& fake() {
  static FakeState state;
  return state;
}

}  // namespace

namespace fake_cpython {

PyObject* new_code() {
  fake().codes.push_back(std::make_unique<char>(0));
  return reinterpret_cast<PyObject*>(fake().codes.back().get());
}
void set_static(PyObject* code) { fake().static_codes.insert(code); }
void code_dies(PyObject* code) {
  for (size_t index = 0; index < fake().freefuncs.size(); ++index) {
    auto key = std::make_pair(code, static_cast<Py_ssize_t>(index));
    auto it = fake().extras.find(key);
    void* value = it == fake().extras.end() ? nullptr : it->second;
    if (it != fake().extras.end()) fake().extras.erase(it);
    if (fake().freefuncs[index] != nullptr)
      fake().freefuncs[index](value);  // CPython calls it for unset slots too
  }
}
void force_next_index(Py_ssize_t index) { fake().forced_index = index; }
void exhaust_extra_indices(bool exhausted) { fake().exhausted = exhausted; }
void fail_next_set_extra() { fake().fail_set_extra = true; }
const std::string& pending_error() { return fake().error; }
std::vector<std::string>& reports() { return fake().reports; }
std::vector<std::string>& failures() { return fake().failures; }
void reset() {
  fake().extras.clear();
  fake().static_codes.clear();
  fake().forced_index = -1;
  fake().exhausted = false;
  fake().fail_set_extra = false;
  fake().error.clear();
  fake().reports.clear();
  fake().failures.clear();
}

}  // namespace fake_cpython

// ---- host/compat/compat.h -------------------------------------------------
extern "C" {

PyThreadState* phc_current_tstate(void) { return nullptr; }
int phc_error_pending(PyThreadState*) { return !fake().error.empty(); }
void phc_error_save(phc_saved_error*) {}
void phc_error_restore(phc_saved_error*) {}
int phc_code_is_static(PyObject* code) {
  return fake().static_codes.count(code) != 0;
}
Py_ssize_t phc_code_request_extra_index(freefunc free_fn) {
  if (fake().exhausted) return -1;
  if (fake().forced_index >= 0) {
    auto index = static_cast<size_t>(fake().forced_index);
    fake().forced_index = -1;
    if (fake().freefuncs.size() <= index) fake().freefuncs.resize(index + 1);
    fake().freefuncs[index] = free_fn;
    return static_cast<Py_ssize_t>(index);
  }
  fake().freefuncs.push_back(free_fn);
  return static_cast<Py_ssize_t>(fake().freefuncs.size() - 1);
}
void* phc_code_get_extra(PyObject* code, Py_ssize_t index) {
  auto it = fake().extras.find({code, index});
  return it == fake().extras.end() ? nullptr : it->second;
}
int phc_code_set_extra(PyObject* code, Py_ssize_t index, void* value) {
  if (fake().fail_set_extra) {
    fake().fail_set_extra = false;
    fake().error = "MemoryError";
    return -1;
  }
  fake().extras[{code, index}] = value;
  return 0;
}

// ---- the libpython calls CodeStates makes on its error paths ------------
PyObject* PyExc_RuntimeError = nullptr;
void PyErr_SetString(PyObject*, const char* message) { fake().error = message; }
void PyErr_Clear(void) { fake().error.clear(); }

}  // extern "C"

// ---- host functions outside the files under test -------------------------
namespace pyhooks {

void report_info(const std::string& message) {
  fake().reports.push_back("info: " + message);
}
void report_warning(const std::string& message) {
  fake().reports.push_back("warning: " + message);
}
void report_error(const std::string& message) {
  fake().reports.push_back("error: " + message);
}
std::string take_exception_text() {
  std::string text = fake().error;
  fake().error.clear();
  return text;
}
const pyhooks_host_api* host_api_table() { return nullptr; }

void DispatchContext::plugin_failed(PluginInstance& plugin,
                                    const char* callback, int32_t event,
                                    const FrameView*) const {
  fake().failures.push_back(plugin.name() + ":" + callback + ":" +
                            std::to_string(event));
}

}  // namespace pyhooks
