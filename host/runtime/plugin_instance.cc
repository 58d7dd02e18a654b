// host/runtime/plugin_instance.cc - construction and state names.
#include "plugin_instance.h"

#include <Python.h>

#include "host_api.h"
#include "report.h"

namespace pyhooks {

PluginInstance::PluginInstance(InterpreterHost* host, uint32_t index,
                               PluginDescriptor descriptor,
                               std::string library_path, int32_t priority,
                               bool priority_configured, PluginOptions options)
    : host_(host),
      index_(index),
      descriptor_(std::move(descriptor)),
      library_path_(std::move(library_path)),
      priority_(priority),
      priority_configured_(priority_configured),
      options_(std::move(options)) {
  handle_.pub.struct_size = sizeof(pyhooks_plugin);
  handle_.pub.user_data = nullptr;
  handle_.pub.api = host_api_table();
  handle_.pub.name = descriptor_.name.c_str();
  handle_.instance = this;
}

void PluginInstance::report_code_free_error() {
  std::string text = take_exception_text();
  if (!code_free_error_reported_) {
    code_free_error_reported_ = true;
    ++counters_.errors;
    report_error("plugin '" + name() + "' raised in code_free: " + text +
                 "; ignored (further ones are not reported)");
  }
}

const char* state_name(PluginState state) {
  switch (state) {
    case PluginState::kLoaded:
      return "loaded";
    case PluginState::kActive:
      return "active";
    case PluginState::kDeclined:
      return "declined";
    case PluginState::kFailed:
      return "failed";
    case PluginState::kDisabled:
      return "disabled";
    case PluginState::kShutDown:
      return "shut down";
  }
  return "unknown";
}

}  // namespace pyhooks
