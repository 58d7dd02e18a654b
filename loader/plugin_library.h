// loader/plugin_library.h - opening a plugin library and reading its
// descriptors.
//
// This is the Python-free half of plugin loading, shared by the in-process
// host and the `pyhooks` CLI (`list`, `inspect`, `check` read descriptors
// without starting Python). Steps: check the file's ELF headers, segments and
// entry symbol without mapping it (elf_file.h), dlopen (RTLD_NOW |
// RTLD_LOCAL), resolve `pyhooks_plugin_entry`, negotiate, validate every
// descriptor. Libraries are
// never dlclosed: code objects may call into them until the process ends.
#pragma once

#include <pyhooks/plugin.h>

#include <cstdint>
#include <string>
#include <vector>

#include "result.h"

namespace pyhooks {

// What the loading side tells the plugin during negotiation.
struct HostFacts {
  uint32_t python_version_hex = 0;  // 0: inspecting, not running Python
  std::string python_build_tag;     // sysconfig SOABI; empty when inspecting
};

struct OptionSpec {
  std::string name;
  int32_t type = PYHOOKS_OPTION_STRING;
  std::string default_value;
  std::string help;
};

// A validated copy of one pyhooks_plugin_desc. `raw` stays valid for the life
// of the process (libraries are resident).
struct PluginDescriptor {
  std::string name;
  std::string version;
  std::string description;
  uint32_t roles = 0;
  int32_t default_priority = PYHOOKS_PRIORITY_NORMAL;
  uint32_t capabilities = 0;
  uint32_t events = 0;
  std::string build_tag;
  uint32_t code_data_size = 0;
  // The ABI minor its library declares (what the plugin can read: ABI 1.2's
  // pyhooks_frame.code_data is filled only for 1.2 and newer).
  uint16_t abi_minor = 0;
  std::vector<OptionSpec> options;
  const pyhooks_plugin_desc* raw = nullptr;
  // ABI 1.1 callbacks, null when the descriptor is too short to have them.
  void (*on_chain_changed)(pyhooks_plugin*, uint32_t) = nullptr;

  bool is_observer() const { return (roles & PYHOOKS_ROLE_OBSERVER) != 0; }
  bool is_evaluator() const { return (roles & PYHOOKS_ROLE_EVALUATOR) != 0; }
  const OptionSpec* find_option(const std::string& option) const;
};

struct PluginLibrary {
  std::string path;
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  bool declined = false;       // the library politely declined this Python
  std::string decline_reason;  // set when declined
  std::vector<PluginDescriptor> plugins;

  const PluginDescriptor* find(const std::string& plugin_name) const;
};

struct ElfFacts;

// The ELF checks (LOADER-1, LOADER-3), then dlopen with `flags`; a `path`
// without '/' is opened as ./path (LOADER-5). Errors are one line naming
// `path`; a dlopen failure's line quotes dlerror.
// `elf`, if given, receives what the checks learned.
Result<void*> dlopen_plugin_file(const std::string& path, int flags,
                                 ElfFacts* elf = nullptr);

// Opens, negotiates and validates. On failure the error is one line that
// names `path` and says what to do.
Result<PluginLibrary> open_plugin_library(const std::string& path,
                                          const HostFacts& facts);

// Texts shared by the CLI and the host.
const char* host_version();
std::string role_names(uint32_t roles);
std::string capability_names(uint32_t capabilities);
std::string event_names(uint32_t events);
const char* option_type_name(int32_t type);

}  // namespace pyhooks
