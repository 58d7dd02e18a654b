// tests/unit/runtime/test_plugins.h - PluginInstances for runtime unit tests:
// a descriptor with the chosen roles and events, callbacks that record.
#pragma once

#include <pyhooks/plugin.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/plugin_instance.h"

namespace pyhooks::testing {

// Every code_free call, as "plugin@code".
std::vector<std::string>& code_frees();

class TestPlugins {
 public:
  // A plugin named `name` with `roles` (PYHOOKS_ROLE_*), observer `events`,
  // `code_data_size` and `capabilities` (PYHOOKS_CAP_*); its index is its
  // position among those made here.
  PluginInstance* add(const std::string& name, uint32_t roles,
                      uint32_t events = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START),
                      uint32_t code_data_size = 0, uint32_t capabilities = 0);
  std::vector<PluginInstance*> all() const;

 private:
  std::vector<std::unique_ptr<pyhooks_plugin_desc>> raws_;
  std::vector<std::unique_ptr<PluginInstance>> plugins_;
};

}  // namespace pyhooks::testing
