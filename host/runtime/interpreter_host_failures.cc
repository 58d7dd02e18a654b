// host/runtime/interpreter_host_failures.cc - failure reporting: a plugin
// that failed in a callback or broke PLUGIN-8 in evaluate is named once,
// with the frame it was in, and deactivated; with strict, PluginError is
// raised into the program at the next safe point.
#include <string>

#include "event_names.h"
#include "frame_view.h"
#include "interpreter_host.h"
#include "report.h"

namespace pyhooks {

namespace {

struct StrictFailure {
  Ref<> type;
  std::string message;
};

int raise_pending_failure(void* arg) {
  auto* failure = static_cast<StrictFailure*>(arg);
  PyErr_SetString(failure->type.get(), failure->message.c_str());
  delete failure;
  return -1;
}

}  // namespace

std::string InterpreterHost::frame_context(const FrameView* view) const {
  if (view == nullptr || view->pub.code == nullptr) {
    return {};
  }
  auto* code = reinterpret_cast<PyCodeObject*>(view->pub.code);
  return " of '" + text_of(code->co_qualname) + "' (" +
         text_of(code->co_filename) + ":" +
         std::to_string(code->co_firstlineno) + ")";
}

void InterpreterHost::raise_strict_failure(const std::string& message) {
  if (!strict_ || !is_main_) {
    return;
  }
  PyObject* type = PyExc_RuntimeError;
  PyObject* module = PyImport_GetModule(
      Ref<>::steal(PyUnicode_FromString("pyhooks._host")).get());
  Ref<> owner = Ref<>::steal(module);
  if (owner) {
    PyObject* error = PyObject_GetAttrString(owner.get(), "PluginError");
    if (error != nullptr) {
      type = error;
      Py_DECREF(error);  // the module keeps it alive
    } else {
      PyErr_Clear();
    }
  } else {
    PyErr_Clear();
  }
  auto* failure =
      new StrictFailure{Ref<>::create(type), message + " (strict mode)"};
  if (Py_AddPendingCall(raise_pending_failure, failure) != 0) {
    delete failure;
  }
}

void InterpreterHost::deactivate_failed(PluginInstance& plugin,
                                        const std::string& message) {
  ++plugin.counters().errors;
  plugin.set_state(PluginState::kFailed);
  plugin.set_failure(message);
  report_error(message);
  rebuild_chain();  // frames in flight finish against their own snapshot
  raise_strict_failure(message);
}

void InterpreterHost::plugin_failed(PluginInstance& plugin,
                                    const char* callback, int32_t event,
                                    const FrameView* view) {
  std::string exception = take_exception_text();
  std::string where = callback;
  if (event >= 0 && event < PYHOOKS_EVENT_COUNT) {
    where += std::string("(") + kEventNames[event] + ")";
  }
  std::string message =
      "plugin '" + plugin.name() + "' failed in " + where +
      frame_context(view) + ": " +
      (exception.empty() ? std::string("it returned an error") : exception) +
      "; it is disabled for the rest of this run";
  deactivate_failed(plugin, message);
}

void InterpreterHost::evaluator_misbehaved(PluginInstance& plugin,
                                           int32_t status, bool raised,
                                           const FrameView& view) {
  std::string problem;
  std::string exception = raised && !view.consumed ? take_exception_text() : "";
  if (!exception.empty() && status != PYHOOKS_ERROR) {
    problem = "left an exception set (" + exception + ") with its answer";
  } else if (status == PYHOOKS_HANDLED) {
    problem = "returned HANDLED without a result";
  } else if (status == PYHOOKS_ERROR) {
    problem = "returned ERROR without setting an exception";
  } else if (status == PYHOOKS_DECLINED || status == PYHOOKS_DISABLE) {
    problem = "declined a frame after running it with eval_next";
  } else {
    problem = "returned the unknown status " + std::to_string(status);
  }
  deactivate_failed(plugin, "plugin '" + plugin.name() + "' " + problem +
                                " in evaluate" + frame_context(&view) +
                                "; it is disabled for the rest of this run");
}

// The sources' failure reports (dispatch_context.h), forwarded to the owner.
void DispatchContext::plugin_failed(PluginInstance& plugin,
                                    const char* callback, int32_t event,
                                    const FrameView* view) const {
  host->plugin_failed(plugin, callback, event, view);
}

void DispatchContext::evaluator_misbehaved(PluginInstance& plugin,
                                           int32_t status, bool raised,
                                           const FrameView& view) const {
  host->evaluator_misbehaved(plugin, status, raised, view);
}

}  // namespace pyhooks
