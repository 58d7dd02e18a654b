// loader/descriptor_check.cc - validation of plugin descriptors
// (plugin ABI policies PLUGIN-2 .. PLUGIN-7 in docs/internals/plugin-abi.md).
#include "descriptor_check.h"

#include <cstddef>
#include <set>
#include <string>

namespace pyhooks {

namespace {

// Sizes of the structs as ABI 1.0 defined them: a plugin built for 1.0 is
// accepted by every 1.x host, and the host reads no field past these.
constexpr size_t kLibraryDescSize10 = offsetof(pyhooks_library_desc, plugins) +
                                      sizeof(pyhooks_library_desc::plugins);
constexpr size_t kPluginDescSize10 =
    offsetof(pyhooks_plugin_desc, after_fork_child) +
    sizeof(pyhooks_plugin_desc::after_fork_child);

// True if the plugin's descriptor is long enough to hold `member` (a member
// appended after 1.0 is read only then: HOST-13).
#define PYHOOKS_DESC_HAS(desc, member) \
  ((desc)->struct_size >=              \
   offsetof(pyhooks_plugin_desc, member) + sizeof((desc)->member))
constexpr size_t kMaxStructSize = 64 * 1024;
constexpr uint32_t kMaxPlugins = 256;
constexpr uint32_t kMaxOptions = 128;
constexpr uint32_t kMaxCodeData = 64 * 1024;
constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxTextLength = 4096;

constexpr uint32_t kKnownRoles = PYHOOKS_ROLE_OBSERVER | PYHOOKS_ROLE_EVALUATOR;

// The event and capability bits each ABI minor defines (plugin ABI policy
// HOST-14). A library is checked against the row of the minor it declares,
// so a 1.0 library cannot claim a bit that only a newer header knows, and a
// newer library gets every bit of its minor.
struct MinorBits {
  uint32_t events;
  uint32_t capabilities;
};
constexpr uint32_t bits(uint32_t count) { return (1u << count) - 1u; }
constexpr MinorBits kBitsByMinor[] = {
    /* 1.0 */ {bits(PYHOOKS_EVENT_COUNT_1_0), bits(PYHOOKS_CAP_COUNT_1_0)},
    /* 1.1 */ {bits(PYHOOKS_EVENT_COUNT_1_1), bits(PYHOOKS_CAP_COUNT_1_1)},
    /* 1.2 */ {bits(PYHOOKS_EVENT_COUNT_1_1), bits(PYHOOKS_CAP_COUNT_1_2)},
};
static_assert(sizeof(kBitsByMinor) / sizeof(kBitsByMinor[0]) ==
                  PYHOOKS_ABI_MINOR + 1,
              "every ABI minor needs its row of known bits");

bool is_plugin_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.';
    if (!ok) {
      return false;
    }
  }
  return name[0] != '-' && name[0] != '.';
}

bool is_option_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameLength) {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

// Reads the fields of one plugin descriptor; `where` prefixes errors.
class PluginChecker {
 public:
  PluginChecker(const LibraryImage& image, const HostFacts& facts,
                uint16_t abi_minor, std::string where)
      : image_(image),
        facts_(facts),
        abi_minor_(abi_minor),
        known_(kBitsByMinor[abi_minor]),
        where_(std::move(where)) {}

  Result<PluginDescriptor> check(const pyhooks_plugin_desc* desc) {
    if (!image_.contains(desc, sizeof(uint32_t))) {
      return fail("its descriptor pointer is outside the library");
    }
    if (desc->struct_size < kPluginDescSize10 ||
        desc->struct_size > kMaxStructSize ||
        !image_.contains(desc, desc->struct_size)) {
      return fail("its descriptor has an invalid struct_size (" +
                  std::to_string(desc->struct_size) + ")");
    }
    PluginDescriptor out;
    out.raw = desc;
    if (!read_text(desc->name, kMaxNameLength, out.name, "name") ||
        !read_text(desc->version, kMaxNameLength, out.version, "version") ||
        !read_optional_text(desc->description, out.description,
                            "description") ||
        !read_optional_text(desc->build_tag, out.build_tag, "build_tag")) {
      return Error{error_};
    }
    if (!is_plugin_name(out.name)) {
      return fail("name '" + out.name +
                  "' is not valid (use 1-64 of a-z 0-9 _ - .)");
    }
    where_ += " ('" + out.name + "')";
    out.roles = desc->roles;
    out.default_priority = desc->default_priority;
    out.capabilities = desc->capabilities;
    out.events = desc->events;
    out.code_data_size = desc->code_data_size;
    if (out.roles == 0 || (out.roles & ~kKnownRoles) != 0) {
      return fail("roles must be OBSERVER and/or EVALUATOR");
    }
    if (out.default_priority < PYHOOKS_PRIORITY_MIN ||
        out.default_priority > PYHOOKS_PRIORITY_MAX) {
      return fail("default_priority " + std::to_string(out.default_priority) +
                  " is outside 0..1000");
    }
    if ((out.capabilities & ~known_.capabilities) != 0) {
      return fail("declares capability bits unknown to plugin ABI " +
                  declared_abi() + " (the minor its library declares)");
    }
    if ((out.events & ~known_.events) != 0) {
      return fail("declares event bits unknown to plugin ABI " +
                  declared_abi() + " (the minor its library declares)");
    }
    if (out.is_observer() && out.events == 0) {
      return fail("is an observer but declares no events");
    }
    if (out.code_data_size > kMaxCodeData) {
      return fail("code_data_size " + std::to_string(out.code_data_size) +
                  " exceeds 65536");
    }
    if ((out.capabilities & PYHOOKS_CAP_INTERPRETER_TRAMPOLINE) &&
        (!out.is_evaluator() || out.code_data_size < sizeof(void*))) {
      return fail(
          "declares PYHOOKS_CAP_INTERPRETER_TRAMPOLINE, which needs the "
          "EVALUATOR role and code_data_size of at least " +
          std::to_string(sizeof(void*)) + " (the trampoline's address)");
    }
    if (PYHOOKS_DESC_HAS(desc, on_chain_changed)) {
      out.on_chain_changed = desc->on_chain_changed;
    }
    if (auto problem = check_callbacks(desc, out); !problem.empty()) {
      return fail(problem);
    }
    if (auto problem = check_build_tag(out); !problem.empty()) {
      return fail(problem);
    }
    if (!read_options(desc, out)) {
      return Error{error_};
    }
    return out;
  }

 private:
  std::string declared_abi() const {
    return std::to_string(PYHOOKS_ABI_MAJOR) + "." + std::to_string(abi_minor_);
  }

  Error fail(const std::string& problem) {
    return Error{where_ + " " + problem};
  }

  bool read_text(const char* text, size_t max, std::string& out,
                 const char* field) {
    auto value = image_.read_string(text, max);
    if (!value || value->empty()) {
      error_ =
          where_ + " " + field + " is missing, too long or outside the library";
      return false;
    }
    out = *value;
    return true;
  }

  bool read_optional_text(const char* text, std::string& out,
                          const char* field) {
    if (text == nullptr) {
      return true;
    }
    auto value = image_.read_string(text, kMaxTextLength);
    if (!value) {
      error_ = where_ + " " + field + " is too long or outside the library";
      return false;
    }
    out = *value;
    return true;
  }

  std::string check_callbacks(const pyhooks_plugin_desc* desc,
                              const PluginDescriptor& out) {
    const void* callbacks[] = {
        reinterpret_cast<const void*>(desc->init),
        reinterpret_cast<const void*>(desc->shutdown),
        reinterpret_cast<const void*>(desc->on_event),
        reinterpret_cast<const void*>(desc->evaluate),
        reinterpret_cast<const void*>(desc->code_free),
        reinterpret_cast<const void*>(desc->after_fork_child),
        reinterpret_cast<const void*>(out.on_chain_changed)};
    for (const void* callback : callbacks) {
      if (callback != nullptr && !image_.contains_code(callback)) {
        return "has a callback outside the library's executable code";
      }
    }
    if (out.is_observer() && desc->on_event == nullptr) {
      return "is an observer but has no on_event callback";
    }
    if (out.is_evaluator() && desc->evaluate == nullptr) {
      return "is an evaluator but has no evaluate callback";
    }
    return {};
  }

  std::string check_build_tag(const PluginDescriptor& out) {
    if ((out.capabilities & PYHOOKS_CAP_CPYTHON_INTERNALS) == 0) {
      return {};
    }
    if (out.build_tag.empty()) {
      return "uses CPython internals but declares no build_tag";
    }
    if (!facts_.python_build_tag.empty() &&
        out.build_tag != facts_.python_build_tag) {
      return "was built for " + out.build_tag + " but this interpreter is " +
             facts_.python_build_tag +
             "; use the build of this plugin for this interpreter";
    }
    return {};
  }

  bool read_options(const pyhooks_plugin_desc* desc, PluginDescriptor& out) {
    if (desc->option_count == 0) {
      return true;
    }
    if (desc->option_count > kMaxOptions ||
        !image_.contains(desc->options,
                         desc->option_count * sizeof(pyhooks_option_desc))) {
      error_ = where_ + " has an invalid option table";
      return false;
    }
    std::set<std::string> seen;
    for (uint32_t i = 0; i < desc->option_count; ++i) {
      const pyhooks_option_desc& raw = desc->options[i];
      OptionSpec option;
      if (!read_text(raw.name, kMaxNameLength, option.name, "option name") ||
          !read_optional_text(raw.default_value, option.default_value,
                              "option default") ||
          !read_optional_text(raw.help, option.help, "option help")) {
        return false;
      }
      if (!is_option_name(option.name) || !seen.insert(option.name).second) {
        error_ = where_ + " option '" + option.name +
                 "' is invalid or declared twice";
        return false;
      }
      if (raw.type < PYHOOKS_OPTION_STRING ||
          raw.type > PYHOOKS_OPTION_STRING_LIST) {
        error_ = where_ + " option '" + option.name + "' has an unknown type";
        return false;
      }
      option.type = raw.type;
      out.options.push_back(std::move(option));
    }
    return true;
  }

  const LibraryImage& image_;
  const HostFacts& facts_;
  uint16_t abi_minor_;
  MinorBits known_;
  std::string where_;
  std::string error_;
};

}  // namespace

Result<std::vector<PluginDescriptor>> check_library_descriptor(
    const pyhooks_library_desc* library, const LibraryImage& image,
    const HostFacts& facts) {
  if (!image.contains(library, sizeof(uint32_t))) {
    return Error{"its entry returned no library descriptor"};
  }
  if (library->struct_size < kLibraryDescSize10 ||
      library->struct_size > kMaxStructSize ||
      !image.contains(library, kLibraryDescSize10)) {
    return Error{"its library descriptor has an invalid struct_size (" +
                 std::to_string(library->struct_size) + ")"};
  }
  std::string built = std::to_string(library->abi_major) + "." +
                      std::to_string(library->abi_minor);
  std::string provided = std::to_string(PYHOOKS_ABI_MAJOR) + "." +
                         std::to_string(PYHOOKS_ABI_MINOR);
  if (library->abi_major != PYHOOKS_ABI_MAJOR) {
    return Error{"was built for pyhooks plugin ABI " + built +
                 " but this host provides ABI " + provided +
                 "; rebuild it against this pyhooks's plugin.h"};
  }
  if (library->abi_minor > PYHOOKS_ABI_MINOR) {
    return Error{"needs pyhooks plugin ABI " + built +
                 " but this host provides only " + provided +
                 "; upgrade pyhooks, or rebuild the plugin with "
                 "-DPYHOOKS_TARGET_ABI_MINOR=" +
                 std::to_string(PYHOOKS_ABI_MINOR)};
  }
  if (library->plugin_count == 0 || library->plugin_count > kMaxPlugins ||
      !image.contains(library->plugins,
                      library->plugin_count * sizeof(library->plugins[0]))) {
    return Error{"its library descriptor has an invalid plugin table (" +
                 std::to_string(library->plugin_count) + " entries)"};
  }
  std::vector<PluginDescriptor> plugins;
  std::set<std::string> names;
  for (uint32_t i = 0; i < library->plugin_count; ++i) {
    PluginChecker checker(image, facts, library->abi_minor,
                          "plugin #" + std::to_string(i + 1));
    auto plugin = checker.check(library->plugins[i]);
    if (!plugin) {
      return Error{plugin.error()};
    }
    if (!names.insert(plugin->name).second) {
      return Error{"declares plugin '" + plugin->name + "' twice"};
    }
    plugins.push_back(std::move(plugin.value()));
  }
  return plugins;
}

}  // namespace pyhooks
