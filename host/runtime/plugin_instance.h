// host/runtime/plugin_instance.h - one plugin active in one interpreter.
//
// Holds the plugin's public context handle (the `pyhooks_plugin` every
// callback receives), its validated descriptor, its options, its place in the
// per-code storage, its state and its counters.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <string>
#include <vector>

#include "loader/plugin_library.h"
#include "loader/plugin_options.h"

namespace pyhooks {

class InterpreterHost;
class PluginInstance;

// The handle given to the plugin: its public prefix, then a back pointer.
struct PluginHandle {
  pyhooks_plugin pub;
  PluginInstance* instance;
};

enum class PluginState {
  kLoaded,    // found and validated, init not yet called
  kActive,    // in the chain
  kDeclined,  // init returned DECLINED: inactive, not an error
  kFailed,    // init failed, or a callback failed: inactive, reported
  kDisabled,  // disabled by the user (pyhooks.disable)
  kShutDown,  // shutdown called; never called again
};

const char* state_name(PluginState state);

struct PluginCounters {
  uint64_t events[PYHOOKS_EVENT_COUNT] = {};
  uint64_t offered = 0;  // evaluate calls
  uint64_t handled = 0;  // HANDLED results
  uint64_t errors = 0;   // failures reported
};

class PluginInstance {
 public:
  PluginInstance(InterpreterHost* host, uint32_t index,
                 PluginDescriptor descriptor, std::string library_path,
                 int32_t priority, bool priority_configured,
                 PluginOptions options);
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  static PluginInstance* from(pyhooks_plugin* handle) {
    return reinterpret_cast<PluginHandle*>(handle)->instance;
  }
  // The instance's own address (handle_ comes first), which observer
  // dispatch relies on to keep its links small (chain.h).
  pyhooks_plugin* handle() { return &handle_.pub; }

  InterpreterHost* host() const { return host_; }
  uint32_t index() const { return index_; }
  const std::string& name() const { return descriptor_.name; }
  const PluginDescriptor& descriptor() const { return descriptor_; }
  // narrow_events (ABI 1.1, HOST-26): during init only, the plugin keeps
  // just these of its declared events.
  void narrow_events(uint32_t keep) { descriptor_.events &= keep; }
  const pyhooks_plugin_desc& raw() const { return *descriptor_.raw; }
  const std::string& library_path() const { return library_path_; }
  int32_t priority() const { return priority_; }
  bool priority_configured() const { return priority_configured_; }
  const PluginOptions& options() const { return options_; }

  PluginState state() const { return state_; }
  void set_state(PluginState state) { state_ = state; }
  bool active() const { return state_ == PluginState::kActive; }
  // init ran and shutdown has not: shutdown and code_free are still owed.
  bool initialized() const { return initialized_; }
  void set_initialized(bool value) { initialized_ = value; }

  bool wants(pyhooks_event event) const {
    return (descriptor_.events & PYHOOKS_EVENT_BIT(event)) != 0;
  }

  const std::string& failure() const { return failure_; }
  void set_failure(std::string message) { failure_ = std::move(message); }

  // A code_free callback left a Python exception set: clear it; the first
  // time, say so.
  void report_code_free_error();

  // While init runs, error lines the plugin logs are kept, to become the
  // reason in the host's one message if init fails.
  void set_capturing_errors(bool capturing) { capturing_errors_ = capturing; }
  bool capturing_errors() const { return capturing_errors_; }
  std::vector<std::string>& captured_errors() { return captured_errors_; }

  PluginCounters& counters() { return counters_; }
  const PluginCounters& counters() const { return counters_; }

  // Where this plugin's SlotEntry sits from the start of a CodeState whose
  // first block holds it (set by CodeStates::add_plugin), so that dispatch
  // fills pyhooks_frame.code_data (ABI 1.2) with one add; 0 when the plugin
  // gets none there (code_data_size 0, or a library older than 1.2).
  uint32_t frame_data_entry() const { return frame_data_entry_; }
  void set_frame_data_entry(uint32_t offset) { frame_data_entry_ = offset; }

 private:
  PluginHandle handle_;
  InterpreterHost* host_;
  uint32_t index_;
  PluginDescriptor descriptor_;
  std::string library_path_;
  int32_t priority_;
  bool priority_configured_;
  PluginOptions options_;
  PluginState state_ = PluginState::kLoaded;
  bool initialized_ = false;
  bool code_free_error_reported_ = false;
  bool capturing_errors_ = false;
  std::vector<std::string> captured_errors_;
  std::string failure_;
  PluginCounters counters_;
  uint32_t frame_data_entry_ = 0;
};

}  // namespace pyhooks
