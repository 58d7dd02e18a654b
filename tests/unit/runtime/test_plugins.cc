// tests/unit/runtime/test_plugins.cc - see test_plugins.h.
#include "test_plugins.h"

#include <cstdio>

namespace pyhooks::testing {

namespace {

pyhooks_status on_event(pyhooks_plugin*, pyhooks_event, const pyhooks_frame*) {
  return PYHOOKS_OK;
}

pyhooks_status evaluate(pyhooks_plugin*, pyhooks_frame*, struct _object**) {
  return PYHOOKS_DECLINED;
}

void code_free(pyhooks_plugin* self, const void* code_key, void*, void*) {
  char key[32];
  std::snprintf(key, sizeof key, "%p", code_key);
  code_frees().push_back(PluginInstance::from(self)->name() + "@" + key);
}

}  // namespace

std::vector<std::string>& code_frees() {
  static std::vector<std::string> calls;
  return calls;
}

PluginInstance* TestPlugins::add(const std::string& name, uint32_t roles,
                                 uint32_t events, uint32_t code_data_size,
                                 uint32_t capabilities) {
  auto raw = std::make_unique<pyhooks_plugin_desc>();
  raw->struct_size = sizeof(pyhooks_plugin_desc);
  raw->roles = roles;
  raw->events = events;
  raw->code_data_size = code_data_size;
  raw->capabilities = capabilities;
  raw->on_event = (roles & PYHOOKS_ROLE_OBSERVER) ? on_event : nullptr;
  raw->evaluate = (roles & PYHOOKS_ROLE_EVALUATOR) ? evaluate : nullptr;
  raw->code_free = code_free;
  PluginDescriptor descriptor;
  descriptor.name = name;
  descriptor.roles = roles;
  descriptor.events = events;
  descriptor.code_data_size = code_data_size;
  descriptor.capabilities = capabilities;
  descriptor.abi_minor = PYHOOKS_ABI_MINOR;  // as built against this header
  descriptor.raw = raw.get();
  raws_.push_back(std::move(raw));
  auto index = static_cast<uint32_t>(plugins_.size());
  plugins_.push_back(std::make_unique<PluginInstance>(
      nullptr, index, std::move(descriptor), "lib" + name + ".so", 0, false,
      PluginOptions{}));
  PluginInstance* plugin = plugins_.back().get();
  plugin->set_state(PluginState::kActive);
  plugin->set_initialized(true);
  return plugin;
}

std::vector<PluginInstance*> TestPlugins::all() const {
  std::vector<PluginInstance*> list;
  for (const auto& plugin : plugins_) list.push_back(plugin.get());
  return list;
}

}  // namespace pyhooks::testing
