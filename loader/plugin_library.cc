// loader/plugin_library.cc - checked dlopen, entry symbol, negotiation.
#include "plugin_library.h"

#include <dlfcn.h>
#include <link.h>

#include <string>

#include "descriptor_check.h"
#include "elf_file.h"
#include "library_image.h"

#ifndef PYHOOKS_VERSION
#error "the build defines PYHOOKS_VERSION"
#endif

namespace pyhooks {

namespace {

std::string quoted(const std::string& path) { return "'" + path + "'"; }

Error library_error(const std::string& path, const std::string& problem) {
  return Error{"plugin library " + quoted(path) + " " + problem};
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) {
    text += (text.empty() ? "" : ",") + part;
  }
  return text.empty() ? "-" : text;
}

}  // namespace

const char* host_version() { return PYHOOKS_VERSION; }

const OptionSpec* PluginDescriptor::find_option(
    const std::string& option) const {
  for (const OptionSpec& spec : options) {
    if (spec.name == option) {
      return &spec;
    }
  }
  return nullptr;
}

const PluginDescriptor* PluginLibrary::find(
    const std::string& plugin_name) const {
  for (const PluginDescriptor& plugin : plugins) {
    if (plugin.name == plugin_name) {
      return &plugin;
    }
  }
  return nullptr;
}

Result<void*> dlopen_plugin_file(const std::string& path, int flags,
                                 ElfFacts* elf) {
  auto facts = check_elf_file(path, PYHOOKS_ENTRY_SYMBOL);
  if (!facts) {
    return library_error(path, "cannot be loaded: " + facts.error() +
                                   "; rebuild or reinstall it, or remove it "
                                   "from the plugin path");
  }
  if (!facts->has_entry) {
    return library_error(path, "does not export " PYHOOKS_ENTRY_SYMBOL
                               "; it is not a pyhooks plugin (or was built "
                               "without PYHOOKS_EXPORT on its entry)");
  }
  // Without a '/', dlopen would search the system's library path and could
  // open another file of that name (LOADER-5).
  std::string file = path.find('/') == std::string::npos ? "./" + path : path;
  dlerror();
  void* handle = dlopen(file.c_str(), flags);
  if (handle == nullptr) {
    const char* reason = dlerror();
    std::string text = reason ? reason : "unknown dlopen error";
    std::string hint = "is it a plugin built for this machine?";
    if ((flags & RTLD_LAZY) != 0 &&
        text.find("undefined symbol: Py") != std::string::npos) {
      hint = "it uses the Python C API, so only an interpreter can read it";
    }
    return library_error(path, "cannot be loaded: " + text + "; " + hint);
  }
  if (elf != nullptr) {
    *elf = std::move(facts.value());
  }
  return handle;
}

Result<PluginLibrary> open_plugin_library(const std::string& path,
                                          const HostFacts& facts) {
  // Inside Python every symbol is bound now, so a missing one fails here and
  // not in the middle of a run. Outside Python (list, inspect), binding is
  // lazy: a plugin that calls the Python C API can still be read, as long as
  // its entry (which must not call Python) is all that runs.
  bool inspecting = facts.python_version_hex == 0;
  ElfFacts elf;
  auto opened = dlopen_plugin_file(
      path, (inspecting ? RTLD_LAZY : RTLD_NOW) | RTLD_LOCAL, &elf);
  if (!opened) {
    return Error{opened.error()};
  }
  void* handle = opened.value();
  // Resident from here on: never dlclose a library that may own callbacks.
  auto entry =
      reinterpret_cast<pyhooks_entry_fn>(dlsym(handle, PYHOOKS_ENTRY_SYMBOL));
  struct link_map* map = nullptr;
  if (entry == nullptr || dlinfo(handle, RTLD_DI_LINKMAP, &map) != 0 ||
      map == nullptr ||
      reinterpret_cast<uintptr_t>(entry) != map->l_addr + elf.entry_address) {
    return library_error(path, "resolves " PYHOOKS_ENTRY_SYMBOL
                               " to another place than its own symbol table "
                               "says; it is not a pyhooks plugin");
  }
  LibraryImage image =
      LibraryImage::containing(reinterpret_cast<const void*>(entry));
  if (!image.contains_code(reinterpret_cast<const void*>(entry))) {
    return library_error(path, "has its " PYHOOKS_ENTRY_SYMBOL
                               " outside its executable code; it is not a "
                               "pyhooks plugin");
  }

  pyhooks_negotiation negotiation{};
  negotiation.struct_size = sizeof(negotiation);
  negotiation.host_abi_major = PYHOOKS_ABI_MAJOR;
  negotiation.host_abi_minor = PYHOOKS_ABI_MINOR;
  negotiation.host_version = PYHOOKS_VERSION;
  negotiation.python_version_hex = facts.python_version_hex;
  negotiation.python_build_tag =
      facts.python_build_tag.empty() ? nullptr : facts.python_build_tag.c_str();
  pyhooks_status status = entry(&negotiation);

  PluginLibrary library;
  library.path = path;
  if (status == PYHOOKS_DECLINED) {
    library.declined = true;
    auto reason = image.read_string(negotiation.decline_reason, 512);
    library.decline_reason = reason ? *reason : "no reason given";
    return library;
  }
  if (status != PYHOOKS_OK) {
    return library_error(path, "refused to load (its entry returned " +
                                   std::to_string(status) + ")");
  }
  auto plugins = check_library_descriptor(negotiation.library, image, facts);
  if (!plugins) {
    return library_error(path, plugins.error());
  }
  library.abi_major = negotiation.library->abi_major;
  library.abi_minor = negotiation.library->abi_minor;
  library.plugins = std::move(plugins.value());
  for (PluginDescriptor& plugin : library.plugins) {
    plugin.abi_minor = library.abi_minor;
  }
  return library;
}

std::string role_names(uint32_t roles) {
  std::vector<std::string> names;
  if (roles & PYHOOKS_ROLE_OBSERVER) names.push_back("observer");
  if (roles & PYHOOKS_ROLE_EVALUATOR) names.push_back("evaluator");
  return joined(names);
}

std::string capability_names(uint32_t capabilities) {
  std::vector<std::string> names;
  if (capabilities & PYHOOKS_CAP_EXCLUSIVE_EVALUATOR) {
    names.push_back("exclusive-evaluator");
  }
  if (capabilities & PYHOOKS_CAP_CPYTHON_INTERNALS) {
    names.push_back("cpython-internals");
  }
  if (capabilities & PYHOOKS_CAP_SUBINTERPRETER_SAFE) {
    names.push_back("subinterpreter-safe");
  }
  if (capabilities & PYHOOKS_CAP_ENTRY_EVALUATOR) {
    names.push_back("entry-evaluator");
  }
  if (capabilities & PYHOOKS_CAP_FRAME_CODE_DATA) {
    names.push_back("frame-code-data");
  }
  return joined(names);
}

std::string event_names(uint32_t events) {
  static const char* const kNames[PYHOOKS_EVENT_COUNT] = {
      "start",  "resume", "return",   "yield",
      "unwind", "c_call", "c_return", "c_raise"};
  std::vector<std::string> names;
  for (int event = 0; event < PYHOOKS_EVENT_COUNT; ++event) {
    if (events & PYHOOKS_EVENT_BIT(event)) names.push_back(kNames[event]);
  }
  return joined(names);
}

const char* option_type_name(int32_t type) {
  switch (type) {
    case PYHOOKS_OPTION_STRING:
      return "string";
    case PYHOOKS_OPTION_INT:
      return "int";
    case PYHOOKS_OPTION_FLOAT:
      return "float";
    case PYHOOKS_OPTION_BOOL:
      return "bool";
    case PYHOOKS_OPTION_STRING_LIST:
      return "list of strings";
    default:
      return "unknown";
  }
}

}  // namespace pyhooks
