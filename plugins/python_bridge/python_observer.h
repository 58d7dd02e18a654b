// plugins/python_bridge/python_observer.h - one observer written in Python,
// run by the bridge: an instance of the user's class, whose on_start,
// on_resume, on_return, on_yield, on_unwind (and, on 3.12+, on_c_call,
// on_c_return, on_c_raise) methods receive the frame events.
//
// Made in the plugin's init (pyhooks::describe<PythonObserver>): imports
// "module:Class" (option `class`), builds the instance with the options
// (option `options`, a JSON object) as keyword arguments, and narrows the
// plugin's events to the methods the class defines, so the host subscribes
// nothing else. Each event is one call, method(code, thread_id[, value]);
// returning pyhooks.DISABLE answers PYHOOKS_DISABLE; an exception becomes
// PYHOOKS_ERROR with pyhooks.PluginError set, naming the method, and the
// host drops the plugin (HOST-5 keeps the method's own frames unreported).
#pragma once

#include <pyhooks/plugin.hpp>

#include <string>

#include "py_ref.h"

namespace python_bridge {

class PythonObserver {
 public:
  static constexpr pyhooks_option_desc kOptions[] = {
      {"class", PYHOOKS_OPTION_STRING, nullptr,
       "MODULE:CLASS of the Python observer (required)"},
      {"options", PYHOOKS_OPTION_STRING, "{}",
       "JSON object: keyword arguments for the class"},
      {"origin", PYHOOKS_OPTION_STRING, "",
       "how messages name the class's origin, e.g. 'pyhooks.toml:4:10: "
       "plugin.probe.python = \"m:C\"' (set by pyhooks)"},
  };

  explicit PythonObserver(pyhooks::host host);

  pyhooks_status on_event(pyhooks_event event, const pyhooks_frame* frame);
  void shutdown();

 private:
  // The class's method for `event`, or an empty PyRef when it has none.
  PyRef bound_method(int event);
  // Throws init_error: `problem`, after what names the class's origin.
  [[noreturn]] void fail(const std::string& problem) const;
  // Sets pyhooks.PluginError naming the method and the exception raised.
  void report_raise(int event);

  pyhooks::host host_;
  std::string class_name_;  // "module:Class", for messages
  std::string subject_;     // where it was configured, starts init errors
  PyRef instance_;
  PyRef none_;
  PyRef disable_;       // pyhooks.DISABLE
  PyRef plugin_error_;  // pyhooks.PluginError
  PyRef methods_[PYHOOKS_EVENT_COUNT];
};

}  // namespace python_bridge
