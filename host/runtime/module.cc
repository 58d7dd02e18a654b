// host/runtime/module.cc - the `pyhooks._host` extension module: the
// in-process API (wrapped by the `pyhooks` package) over this interpreter's
// InterpreterHost.
//
// Multi-phase initialisation: every interpreter that imports it gets its own
// module object, whose state points at that interpreter's host.
#include <Python.h>

#include <atomic>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "../compat/compat.h"
#include "eval_frame_source.h"
#include "interpreter_host.h"
#include "interpreter_registry.h"

#ifndef PYHOOKS_VERSION
#error "the build defines PYHOOKS_VERSION"
#endif
#ifndef PYHOOKS_SOABI
#error "the build defines PYHOOKS_SOABI"
#endif

namespace pyhooks {
namespace {

struct ModuleState {
  InterpreterHost* host;
  PyObject* plugin_error;  // strong: pyhooks.PluginError
};

ModuleState* state_of(PyObject* module) {
  return static_cast<ModuleState*>(PyModule_GetState(module));
}

// Every API call is a safe point to notice a displaced hook.
InterpreterHost* host_of(PyObject* module) {
  InterpreterHost* host = state_of(module)->host;
  host->eval_source().check_displaced();
  return host;
}

// ---- argument helpers ---------------------------------------------------

// The UTF-8 text of `text`, or nullptr with ValueError if it contains a NUL
// (a path or name would be cut short there; plugin ABI policy LOADER-6).
const char* whole_utf8(PyObject* text) {
  Py_ssize_t size = 0;
  const char* utf8 = PyUnicode_AsUTF8AndSize(text, &size);
  if (utf8 != nullptr && std::strlen(utf8) != static_cast<size_t>(size)) {
    PyErr_SetString(PyExc_ValueError,
                    "pyhooks: a plugin target, name or path contains a NUL "
                    "character; remove it");
    return nullptr;
  }
  return utf8;
}

bool string_list(PyObject* value, const char* what,
                 std::vector<std::string>& out) {
  if (value == nullptr || value == Py_None) {
    return true;
  }
  Ref<> sequence = Ref<>::steal(PySequence_Fast(value, what));
  if (!sequence) {
    return false;
  }
  Py_ssize_t size = PySequence_Fast_GET_SIZE(sequence.get());
  for (Py_ssize_t i = 0; i < size; ++i) {
    PyObject* item = PySequence_Fast_GET_ITEM(sequence.get(), i);
    const char* text = PyUnicode_Check(item) ? whole_utf8(item) : nullptr;
    if (text == nullptr) {
      if (!PyErr_Occurred()) {
        PyErr_Format(PyExc_TypeError, "%s must contain only strings", what);
      }
      return false;
    }
    out.emplace_back(text);
  }
  return true;
}

bool optional_text(PyObject* value, std::string& out) {
  if (value == nullptr || value == Py_None) {
    return true;
  }
  const char* text = PyUnicode_Check(value) ? whole_utf8(value) : nullptr;
  if (text == nullptr) {
    if (!PyErr_Occurred()) {
      PyErr_SetString(PyExc_TypeError, "expected a string");
    }
    return false;
  }
  out = text;
  return true;
}

bool optional_priority(PyObject* value, std::optional<int32_t>& out) {
  if (value == nullptr || value == Py_None) {
    return true;
  }
  long priority =
      PyLong_Check(value) && !PyBool_Check(value) ? PyLong_AsLong(value) : -1;
  if (PyErr_Occurred() || priority < PYHOOKS_PRIORITY_MIN ||
      priority > PYHOOKS_PRIORITY_MAX) {
    PyErr_Clear();
    PyErr_Format(PyExc_ValueError, "priority must be an integer from %d to %d",
                 PYHOOKS_PRIORITY_MIN, PYHOOKS_PRIORITY_MAX);
    return false;
  }
  out = static_cast<int32_t>(priority);
  return true;
}

// One request from a dict: {"target", "name", "priority", "options",
// "required", "as"} ("as": the name it runs under; see LoadRequest).
bool request_from_dict(PyObject* item, LoadRequest& request) {
  if (!PyDict_Check(item)) {
    PyErr_SetString(PyExc_TypeError, "each plugin request must be a dict");
    return false;
  }
  PyObject* target = PyDict_GetItemString(item, "target");  // borrowed
  if (target == nullptr || !optional_text(target, request.target) ||
      request.target.empty()) {
    if (!PyErr_Occurred()) {
      PyErr_SetString(PyExc_ValueError,
                      "a plugin request needs a 'target' (name or path)");
    }
    return false;
  }
  BorrowedRef<> required = PyDict_GetItemString(item, "required");
  int is_required = required ? PyObject_IsTrue(required) : 1;
  if (is_required < 0) {
    return false;  // its __bool__ raised: that is the caller's error
  }
  request.required = is_required == 1;
  request.options = Ref<>::create(PyDict_GetItemString(item, "options"));
  return optional_text(PyDict_GetItemString(item, "name"),
                       request.plugin_name) &&
         optional_text(PyDict_GetItemString(item, "as"),
                       request.instance_name) &&
         optional_priority(PyDict_GetItemString(item, "priority"),
                           request.priority);
}

// ---- functions ----------------------------------------------------------

PyObject* py_load(PyObject* module, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"target",  "name",     "priority",
                                   "options", "required", "plugin_path",
                                   nullptr};
  const char* target = nullptr;
  PyObject* name = Py_None;
  PyObject* priority = Py_None;
  PyObject* options = Py_None;
  int required = 1;
  PyObject* plugin_path = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "s|$OOOpO", (char**)keywords,
                                   &target, &name, &priority, &options,
                                   &required, &plugin_path)) {
    return nullptr;
  }
  LoadRequest request;
  request.target = target;
  request.required = required != 0;
  request.options = Ref<>::create(options);
  std::vector<std::string> dirs;
  if (!optional_text(name, request.plugin_name) ||
      !optional_priority(priority, request.priority) ||
      !string_list(plugin_path, "plugin_path", dirs)) {
    return nullptr;
  }
  InterpreterHost* host = host_of(module);
  std::vector<LoadRequest> requests;
  requests.push_back(std::move(request));
  if (!host->configure(std::move(requests), std::nullopt, dirs,
                       state_of(module)->plugin_error)) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* py_configure(PyObject* module, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"plugins", "order", "plugin_path", "strict",
                                   nullptr};
  PyObject* plugins = nullptr;
  PyObject* order = Py_None;
  PyObject* plugin_path = Py_None;
  PyObject* strict = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O|$OOO", (char**)keywords,
                                   &plugins, &order, &plugin_path, &strict)) {
    return nullptr;
  }
  Ref<> sequence =
      Ref<>::steal(PySequence_Fast(plugins, "plugins must be a list"));
  if (!sequence) {
    return nullptr;
  }
  std::vector<LoadRequest> requests;
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(sequence.get()); ++i) {
    LoadRequest request;
    if (!request_from_dict(PySequence_Fast_GET_ITEM(sequence.get(), i),
                           request)) {
      return nullptr;
    }
    requests.push_back(std::move(request));
  }
  std::optional<std::vector<std::string>> explicit_order;
  if (order != Py_None) {
    explicit_order.emplace();
    if (!string_list(order, "order", *explicit_order)) {
      return nullptr;
    }
  }
  std::vector<std::string> dirs;
  if (!string_list(plugin_path, "plugin_path", dirs)) {
    return nullptr;
  }
  InterpreterHost* host = host_of(module);
  if (strict != Py_None) {
    int is_strict = PyObject_IsTrue(strict);
    if (is_strict < 0) {
      return nullptr;
    }
    host->set_strict(is_strict == 1);
  }
  if (!host->configure(std::move(requests), std::move(explicit_order), dirs,
                       state_of(module)->plugin_error)) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* name_call(PyObject* module, PyObject* arg,
                    bool (*action)(InterpreterHost&, const std::string&,
                                   PyObject*)) {
  const char* name = PyUnicode_Check(arg) ? PyUnicode_AsUTF8(arg) : nullptr;
  if (name == nullptr) {
    if (!PyErr_Occurred()) {
      PyErr_SetString(PyExc_TypeError, "expected a plugin name");
    }
    return nullptr;
  }
  if (!action(*host_of(module), name, state_of(module)->plugin_error)) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* py_unload(PyObject* module, PyObject* arg) {
  return name_call(module, arg,
                   [](InterpreterHost& host, const std::string& name,
                      PyObject* error) { return host.unload(name, error); });
}

PyObject* py_disable(PyObject* module, PyObject* arg) {
  return name_call(
      module, arg,
      [](InterpreterHost& host, const std::string& name, PyObject* error) {
        return host.set_disabled(name, true, error);
      });
}

PyObject* py_enable(PyObject* module, PyObject* arg) {
  return name_call(
      module, arg,
      [](InterpreterHost& host, const std::string& name, PyObject* error) {
        return host.set_disabled(name, false, error);
      });
}

PyObject* py_chain(PyObject* module, PyObject*) {
  return host_of(module)->describe_chain().release();
}

PyObject* py_counters(PyObject* module, PyObject*) {
  return host_of(module)->describe_counters().release();
}

PyObject* py_search_path(PyObject* module, PyObject* args, PyObject* kwargs) {
  static const char* keywords[] = {"plugin_path", nullptr};
  PyObject* plugin_path = Py_None;
  if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O", (char**)keywords,
                                   &plugin_path)) {
    return nullptr;
  }
  std::vector<std::string> dirs;
  if (!string_list(plugin_path, "plugin_path", dirs)) {
    return nullptr;
  }
  Ref<> list = Ref<>::steal(PyList_New(0));
  for (const std::string& dir : host_of(module)->search_dirs(dirs)) {
    Ref<> text = Ref<>::steal(PyUnicode_FromString(dir.c_str()));
    if (!list || !text || PyList_Append(list.get(), text.get()) < 0) {
      return nullptr;
    }
  }
  return list.release();
}

PyObject* py_event_source(PyObject* module, PyObject*) {
  return PyUnicode_FromString(host_of(module)->event_source_name());
}

PyObject* py_set_event_source(PyObject* module, PyObject* arg) {
  const char* name = PyUnicode_Check(arg) ? PyUnicode_AsUTF8(arg) : nullptr;
  EventSourceChoice choice;
  if (name != nullptr && std::strcmp(name, "auto") == 0) {
    choice = EventSourceChoice::kAuto;
  } else if (name != nullptr && std::strcmp(name, "eval_frame") == 0) {
    choice = EventSourceChoice::kEvalFrame;
  } else if (name != nullptr && std::strcmp(name, "monitoring") == 0) {
    choice = EventSourceChoice::kMonitoring;
  } else {
    PyErr_SetString(PyExc_ValueError,
                    "event source must be 'auto', 'eval_frame' or "
                    "'monitoring'");
    return nullptr;
  }
  if (!host_of(module)->set_event_source(choice)) {
    return nullptr;
  }
  Py_RETURN_NONE;
}

PyObject* py_set_strict(PyObject* module, PyObject* arg) {
  int strict = PyObject_IsTrue(arg);
  if (strict < 0) {
    return nullptr;
  }
  host_of(module)->set_strict(strict == 1);
  Py_RETURN_NONE;
}

PyObject* py_shutdown(PyObject* module, PyObject*) {
  host_of(module)->shutdown();
  Py_RETURN_NONE;
}

PyObject* py_after_fork_child(PyObject* module, PyObject*) {
  state_of(module)->host->after_fork_child();
  Py_RETURN_NONE;
}

PyMethodDef kMethods[] = {
    {"load", (PyCFunction)(void (*)(void))py_load, METH_VARARGS | METH_KEYWORDS,
     "load(target, *, name=None, priority=None, options=None, required=True, "
     "plugin_path=None)\n--\n\nActivate one plugin, by name or library path."},
    {"configure", (PyCFunction)(void (*)(void))py_configure,
     METH_VARARGS | METH_KEYWORDS,
     "configure(plugins, *, order=None, plugin_path=None, strict=None)\n--\n\n"
     "Activate several plugins at once (what `pyhooks run` does)."},
    {"unload", py_unload, METH_O, "Shut one plugin down and remove it."},
    {"disable", py_disable, METH_O, "Stop calling one plugin."},
    {"enable", py_enable, METH_O, "Resume calling a disabled plugin."},
    {"chain", py_chain, METH_NOARGS, "Every plugin loaded here, in order."},
    {"counters", py_counters, METH_NOARGS, "Frames and events seen."},
    {"search_path", (PyCFunction)(void (*)(void))py_search_path,
     METH_VARARGS | METH_KEYWORDS, "Directories searched for plugins."},
    {"event_source", py_event_source, METH_NOARGS,
     "'eval_frame', 'monitoring' or 'none'."},
    {"set_event_source", py_set_event_source, METH_O,
     "Choose where observer events come from: 'auto', 'eval_frame', "
     "'monitoring'."},
    {"set_strict", py_set_strict, METH_O,
     "With strict on, a failing plugin raises PluginError in the program."},
    {"shutdown", py_shutdown, METH_NOARGS,
     "Shut every plugin down (runs at exit)."},
    {"_after_fork_child", py_after_fork_child, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

// ---- module lifecycle ---------------------------------------------------

int module_exec(PyObject* module) {
  ModuleState* state = state_of(module);
  state->host = nullptr;
  state->plugin_error = PyErr_NewExceptionWithDoc(
      "pyhooks.PluginError",
      "A plugin could not be loaded, or failed while running.",
      PyExc_RuntimeError, nullptr);
  if (state->plugin_error == nullptr ||
      PyModule_AddObjectRef(module, "PluginError", state->plugin_error) < 0 ||
      PyModule_AddStringConstant(module, "version", PYHOOKS_VERSION) < 0 ||
      PyModule_AddStringConstant(module, "python_build_tag", PYHOOKS_SOABI) <
          0 ||
      PyModule_AddIntConstant(module, "abi_major", PYHOOKS_ABI_MAJOR) < 0 ||
      PyModule_AddIntConstant(module, "abi_minor", PYHOOKS_ABI_MINOR) < 0) {
    return -1;
  }
  state->host = InterpreterRegistry::acquire();
  return state->host == nullptr ? -1 : 0;
}

int module_traverse(PyObject* module, visitproc visit, void* arg) {
  ModuleState* state = state_of(module);
  Py_VISIT(state->plugin_error);
  return 0;
}

int module_clear(PyObject* module) {
  Py_CLEAR(state_of(module)->plugin_error);
  return 0;
}

void module_free(void* raw) {
  auto* module = static_cast<PyObject*>(raw);
  ModuleState* state = state_of(module);
  if (state == nullptr) {
    return;
  }
  Py_CLEAR(state->plugin_error);
  if (state->host != nullptr) {
    InterpreterRegistry::release(state->host->interp());
    state->host = nullptr;
  }
}

PyModuleDef_Slot kSlots[] = {
    {Py_mod_exec, reinterpret_cast<void*>(module_exec)},
    {0, nullptr},  // per-interpreter-GIL declaration, filled from compat
    {0, nullptr},
};

PyModuleDef kModule = {
    PyModuleDef_HEAD_INIT,
    "pyhooks._host",
    "pyhooks host: one owner for CPython's frame-evaluation hook.",
    sizeof(ModuleState),
    kMethods,
    kSlots,
    module_traverse,
    module_clear,
    module_free,
};

}  // namespace
}  // namespace pyhooks

PyMODINIT_FUNC PyInit__host(void) {
  phc_module_interpreter_slot(&pyhooks::kSlots[1]);
  return PyModuleDef_Init(&pyhooks::kModule);
}
