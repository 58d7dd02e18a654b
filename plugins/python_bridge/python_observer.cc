// plugins/python_bridge/python_observer.cc - loading the Python class and
// calling its methods for each event.
#include "python_observer.h"

#include <cstddef>

#include "python_target.h"

namespace python_bridge {

namespace {

// Method names by event number (PYHOOKS_EVENT_*).
constexpr const char* kMethodNames[PYHOOKS_EVENT_COUNT] = {
    "on_start",  "on_resume", "on_return",   "on_yield",
    "on_unwind", "on_c_call", "on_c_return", "on_c_raise"};
static_assert(PYHOOKS_EVENT_COUNT == 8, "a method name for every event");

bool is_c_call_event(int event) { return event >= PYHOOKS_EVENT_C_CALL; }

// Import `module` and return its attribute `name`; throws init_error.
PyRef module_attribute(const char* module, const char* name) {
  PyRef imported = PyRef::steal(PyImport_ImportModule(module));
  PyRef value = imported
                    ? PyRef::steal(PyObject_GetAttrString(imported.get(), name))
                    : PyRef();
  if (!value) {
    throw pyhooks::init_error(std::string("cannot read ") + module + "." +
                              name + " (" + take_exception_text() + ")");
  }
  return value;
}

}  // namespace

PythonObserver::PythonObserver(pyhooks::host host) : host_(host) {
  pyhooks::option_reader options = host.options(kOptions);
  class_name_ = options.string("class");
  std::string origin = options.string("origin");
  // Messages about the class name the place it was configured.
  subject_ = origin.empty() ? "option class = \"" + class_name_ + "\"" : origin;
  if (class_name_.empty()) {
    throw pyhooks::init_error(
        "no Python class given: set the option class = \"MODULE:CLASS\" "
        "(in pyhooks.toml: [plugin.NAME] python = \"MODULE:CLASS\")");
  }
  PythonTarget target;
  std::string problem = parse_target(class_name_, &target);
  PyRef cls = problem.empty() ? resolve_class(target, &problem) : PyRef();
  if (!cls) fail(problem);

  none_ = PyRef::steal(Py_BuildValue(""));
  disable_ = module_attribute("pyhooks", "DISABLE");
  plugin_error_ = module_attribute("pyhooks", "PluginError");

  std::string json = options.string("options");
  PyRef loads = module_attribute("json", "loads");
  PyRef kwargs =
      PyRef::steal(PyObject_CallFunction(loads.get(), "s", json.c_str()));
  if (!kwargs || !PyDict_Check(kwargs.get())) {
    std::string why = kwargs ? "not a JSON object" : take_exception_text();
    fail("option options = '" + json +
         "' must be a JSON object of keyword arguments (" + why + ")");
  }
  PyRef no_args = PyRef::steal(PyTuple_New(0));
  instance_ =
      PyRef::steal(PyObject_Call(cls.get(), no_args.get(), kwargs.get()));
  if (!instance_) {
    fail("making the instance with its options raised " +
         take_exception_text());
  }

  uint32_t events = 0;
  const pyhooks_host_api& api = host.api();
  for (int event = 0; event < PYHOOKS_EVENT_COUNT; ++event) {
    methods_[event] = bound_method(event);
    if (!methods_[event]) continue;
    if (is_c_call_event(event) &&
        api.event_supported(host.handle(), event) != PYHOOKS_OK) {
      fail(std::string("the class defines ") + kMethodNames[event] +
           ", but this CPython delivers no C-call events (they need "
           "3.12+); remove on_c_call/on_c_return/on_c_raise to run it here");
    }
    events |= PYHOOKS_EVENT_BIT(event);
  }
  if (events == 0) {
    fail(
        "the class defines none of on_start, on_resume, on_return, "
        "on_yield, on_unwind, on_c_call, on_c_return, on_c_raise: it would "
        "receive nothing");
  }
  api.narrow_events(host.handle(), events);
}

PyRef PythonObserver::bound_method(int event) {
  const char* name = kMethodNames[event];
  PyObject* cls = reinterpret_cast<PyObject*>(Py_TYPE(instance_.get()));
  PyRef on_class = PyRef::steal(PyObject_GetAttrString(cls, name));
  if (!on_class) {
    PyErr_Clear();  // not defined: the event is not subscribed
    return PyRef();
  }
  PyRef bound = PyRef::steal(PyObject_GetAttrString(instance_.get(), name));
  if (!bound || !PyCallable_Check(bound.get())) {
    std::string why = bound ? "it is not callable" : take_exception_text();
    fail(std::string("its ") + name + " cannot be called (" + why + ")");
  }
  return bound;
}

void PythonObserver::fail(const std::string& problem) const {
  throw pyhooks::init_error(subject_ + ": " + problem);
}

pyhooks_status PythonObserver::on_event(pyhooks_event event,
                                        const pyhooks_frame* frame) {
  PyObject* method = methods_[event].get();
  if (method == nullptr) return PYHOOKS_OK;  // not subscribed
  PyRef thread_id = PyRef::steal(PyLong_FromUnsignedLongLong(frame->thread_id));
  if (!thread_id) {
    report_raise(event);
    return PYHOOKS_ERROR;
  }
  PyRef result;
  if (event == PYHOOKS_EVENT_START || event == PYHOOKS_EVENT_RESUME) {
    result = PyRef::steal(PyObject_CallFunctionObjArgs(
        method, frame->code, thread_id.get(), nullptr));
  } else {
    // The exit value / exception, or the C function called (ABI 1.1).
    PyObject* extra = nullptr;
    if (frame->struct_size >=
        offsetof(pyhooks_frame, callable) + sizeof(frame->callable)) {
      extra = is_c_call_event(event) ? frame->callable : frame->value;
    }
    result = PyRef::steal(PyObject_CallFunctionObjArgs(
        method, frame->code, thread_id.get(),
        extra != nullptr ? extra : none_.get(), nullptr));
  }
  if (!result) {
    report_raise(event);
    return PYHOOKS_ERROR;
  }
  return result.get() == disable_.get() ? PYHOOKS_DISABLE : PYHOOKS_OK;
}

void PythonObserver::report_raise(int event) {
  std::string text = class_name_ + "." + kMethodNames[event] + "() raised " +
                     take_exception_text();
  PyErr_SetString(plugin_error_.get(), text.c_str());
}

void PythonObserver::shutdown() {
  PyObject* cls = reinterpret_cast<PyObject*>(Py_TYPE(instance_.get()));
  PyRef defined = PyRef::steal(PyObject_GetAttrString(cls, "shutdown"));
  if (!defined) {
    PyErr_Clear();
    return;
  }
  PyRef result =
      PyRef::steal(PyObject_CallMethod(instance_.get(), "shutdown", nullptr));
  if (!result) {
    host_.error(class_name_ + ".shutdown() raised " + take_exception_text());
  }
}

}  // namespace python_bridge
