// plugin-api/include/pyhooks/plugin.hpp - a header-only C++ layer over
// pyhooks/plugin.h: a plugin is a class whose member functions are its
// callbacks, no C++ exception ever crosses into the host, and options are
// read typed, with each default stated once (in the option table).
//
//   class Counter {
//    public:
//     static constexpr pyhooks_option_desc kOptions[] = {
//         {"limit", PYHOOKS_OPTION_INT, "10", "events to count"}};
//     explicit Counter(pyhooks::host host)
//         : limit_(host.options(kOptions).integer_in("limit", 1, 1000)) {}
//     pyhooks_status on_event(pyhooks_event event, const pyhooks_frame*);
//    private:
//     int64_t limit_;
//   };
//   constexpr pyhooks_plugin_desc kCounter = pyhooks::describe<Counter>({
//       .name = "counter", .version = "1.0", .description = "...",
//       .roles = PYHOOKS_ROLE_OBSERVER, .events = PYHOOKS_EVENTS_ALL,
//       .option_count = 1, .options = Counter::kOptions});
//
// The object is made in init (`T(pyhooks::host)`) and lives in the handle's
// user_data until shutdown; reach it with pyhooks::user_data<T>(self).
// Callbacks, all optional, found by name:
//   pyhooks_status on_event(pyhooks_event, const pyhooks_frame*)
//   pyhooks_status evaluate(pyhooks_frame*, PyObject** result)
//   void code_free(const void* code_key, void* slot, void* data)
//   void after_fork_child()
//   void shutdown()            (then the object is deleted)
//   static void release_code(void* slot, void* data)
// The host calls code_free for code objects still alive right after
// shutdown; the object is gone by then, so those calls go to the static
// release_code if the class has one (free what a slot points to there).
//
// At the boundary: an exception from the constructor fails init with one
// log line (init_error's text as it is; others "internal error in init:
// ..."); `declined` makes the plugin stay inactive. An exception from
// on_event logs one line and returns PYHOOKS_ERROR; from evaluate it logs
// and declines the frame (which then runs normally: no Python exception is
// set); from the others it logs and returns. Requires C++17 (the descriptor
// example uses C++20 designated initialisers).
#pragma once

#include <pyhooks/plugin.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <iterator>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace pyhooks {

// Thrown while the plugin starts: init fails, logging what() as it is.
class init_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by the constructor: the plugin stays inactive (not an error); the
// reason is logged at info level.
class declined : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The object a plugin's handle carries (nullptr outside init..shutdown).
template <class T>
T* user_data(pyhooks_plugin* self) noexcept {
  return static_cast<T*>(self->user_data);
}

class option_reader;

// The plugin's handle and the host's functions.
class host {
 public:
  explicit host(pyhooks_plugin* self) noexcept : self_(self) {}

  pyhooks_plugin* handle() const noexcept { return self_; }
  const pyhooks_host_api& api() const noexcept { return *self_->api; }
  const char* name() const noexcept { return self_->name; }

  // One line; the host prefixes the plugin's name.
  void log(int32_t level, const std::string& message) const noexcept {
    self_->api->log(self_, level, message.c_str());
  }
  void info(const std::string& message) const noexcept {
    log(PYHOOKS_LOG_INFO, message);
  }
  void warning(const std::string& message) const noexcept {
    log(PYHOOKS_LOG_WARNING, message);
  }
  void error(const std::string& message) const noexcept {
    log(PYHOOKS_LOG_ERROR, message);
  }

  // The options as configured, read against the plugin's option table.
  option_reader options(const pyhooks_option_desc* table, uint32_t count) const;
  template <size_t N>
  option_reader options(const pyhooks_option_desc (&table)[N]) const;

 private:
  pyhooks_plugin* self_;
};

// Typed option readers. A name that is not configured reads as the
// table's default_value (NULL: empty / zero / false), so the default is
// written once. A configured value of the wrong type, a value outside a
// range or choice, and a name missing from the table throw init_error with
// one line naming the option and what to give.
class option_reader {
 public:
  option_reader(pyhooks_plugin* self, const pyhooks_option_desc* table,
                uint32_t count) noexcept
      : self_(self), table_(table), count_(count) {}

  bool configured(const char* name) const {
    const pyhooks_option_desc& desc = declared(name);
    switch (desc.type) {
      case PYHOOKS_OPTION_STRING: {
        const char* value = nullptr;
        return api().option_string(self_, name, &value) == PYHOOKS_OK;
      }
      case PYHOOKS_OPTION_INT: {
        int64_t value = 0;
        return api().option_int(self_, name, &value) == PYHOOKS_OK;
      }
      case PYHOOKS_OPTION_FLOAT: {
        double value = 0;
        return api().option_float(self_, name, &value) == PYHOOKS_OK;
      }
      case PYHOOKS_OPTION_BOOL: {
        int32_t value = 0;
        return api().option_bool(self_, name, &value) == PYHOOKS_OK;
      }
      default: {
        uint32_t value = 0;
        return api().option_list_count(self_, name, &value) == PYHOOKS_OK;
      }
    }
  }

  std::string string(const char* name) const {
    const pyhooks_option_desc& desc = declared(name, PYHOOKS_OPTION_STRING);
    const char* value = nullptr;
    if (check(api().option_string(self_, name, &value), name, "a string")) {
      return value != nullptr ? value : "";
    }
    return desc.default_value != nullptr ? desc.default_value : "";
  }

  int64_t integer(const char* name) const {
    const pyhooks_option_desc& desc = declared(name, PYHOOKS_OPTION_INT);
    int64_t value = 0;
    if (check(api().option_int(self_, name, &value), name, "an integer")) {
      return value;
    }
    return desc.default_value != nullptr
               ? parse_default<int64_t>(desc, std::strtoll)
               : 0;
  }

  // integer() within [low, high]; `hint` says what to give instead.
  int64_t integer_in(const char* name, int64_t low, int64_t high,
                     const char* hint = nullptr) const {
    int64_t value = integer(name);
    if (value < low || value > high) {
      std::string message = std::string("option ") + name + "=" +
                            std::to_string(value) + " is out of range " +
                            std::to_string(low) + ".." + std::to_string(high);
      if (hint != nullptr) message += std::string("; ") + hint;
      throw init_error(message);
    }
    return value;
  }

  double number(const char* name) const {
    const pyhooks_option_desc& desc = declared(name, PYHOOKS_OPTION_FLOAT);
    double value = 0;
    if (check(api().option_float(self_, name, &value), name, "a number")) {
      return value;
    }
    return desc.default_value != nullptr
               ? parse_default<double>(desc,
                                       [](const char* text, char** end, int) {
                                         return std::strtod(text, end);
                                       })
               : 0.0;
  }

  bool boolean(const char* name) const {
    const pyhooks_option_desc& desc = declared(name, PYHOOKS_OPTION_BOOL);
    int32_t value = 0;
    if (check(api().option_bool(self_, name, &value), name, "true or false")) {
      return value != 0;
    }
    if (desc.default_value == nullptr) return false;
    if (std::strcmp(desc.default_value, "true") == 0) return true;
    if (std::strcmp(desc.default_value, "false") == 0) return false;
    throw bad_default(desc);
  }

  // string() that must be one of `choices`; returns its index.
  size_t choice(const char* name, std::initializer_list<const char*> choices,
                const char* hint = nullptr) const {
    std::string value = string(name);
    size_t index = 0;
    std::string listed;
    for (const char* candidate : choices) {
      if (value == candidate) return index;
      listed += std::string(index == 0 ? "" : " or ") + "\"" + candidate + "\"";
      ++index;
    }
    std::string message = std::string("option ") + name + "=\"" + value +
                          "\" is not valid; use " + listed;
    if (hint != nullptr) message += std::string(" (") + hint + ")";
    throw init_error(message);
  }

  // A STRING_LIST option's items (the default: none unless the table gives
  // a comma-separated default_value).
  std::vector<std::string> strings(const char* name) const {
    const pyhooks_option_desc& desc =
        declared(name, PYHOOKS_OPTION_STRING_LIST);
    std::vector<std::string> items;
    uint32_t count = 0;
    if (!check(api().option_list_count(self_, name, &count), name,
               "a list of strings")) {
      if (desc.default_value != nullptr && *desc.default_value != '\0') {
        std::string text = desc.default_value;
        for (size_t start = 0;;) {
          size_t comma = text.find(',', start);
          items.push_back(text.substr(start, comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
      }
      return items;
    }
    for (uint32_t i = 0; i < count; ++i) {
      const char* item = nullptr;
      if (api().option_list_item(self_, name, i, &item) != PYHOOKS_OK) {
        throw init_error("cannot read item " + std::to_string(i) +
                         " of option '" + name + "'");
      }
      items.push_back(item != nullptr ? item : "");
    }
    return items;
  }

 private:
  const pyhooks_host_api& api() const noexcept { return *self_->api; }

  const pyhooks_option_desc& declared(const char* name,
                                      int32_t type = -1) const {
    for (uint32_t i = 0; i < count_; ++i) {
      if (std::strcmp(table_[i].name, name) == 0) {
        if (type >= 0 && table_[i].type != type) break;
        return table_[i];
      }
    }
    throw init_error(std::string("option '") + name +
                     "' is read with a type its option table does not "
                     "declare (a bug in the plugin)");
  }

  // True if configured; false if not (use the default); throws otherwise.
  static bool check(pyhooks_status status, const char* name,
                    const char* expected) {
    if (status == PYHOOKS_OK) return true;
    if (status == PYHOOKS_E_NOT_FOUND) return false;
    throw init_error(std::string("cannot read option '") + name +
                     "'; it must be " + expected);
  }

  static init_error bad_default(const pyhooks_option_desc& desc) {
    return init_error(std::string("option '") + desc.name +
                      "' has an unreadable default \"" + desc.default_value +
                      "\" (a bug in the plugin)");
  }

  template <class V, class Parse>
  static V parse_default(const pyhooks_option_desc& desc, Parse parse) {
    char* end = nullptr;
    errno = 0;
    V value = static_cast<V>(parse(desc.default_value, &end, 10));
    if (end == desc.default_value || *end != '\0' || errno != 0) {
      throw bad_default(desc);
    }
    return value;
  }

  pyhooks_plugin* self_;
  const pyhooks_option_desc* table_;
  uint32_t count_;
};

inline option_reader host::options(const pyhooks_option_desc* table,
                                   uint32_t count) const {
  return option_reader(self_, table, count);
}

template <size_t N>
option_reader host::options(const pyhooks_option_desc (&table)[N]) const {
  return option_reader(self_, table, static_cast<uint32_t>(N));
}

namespace detail {

template <class T, class = void>
struct has_on_event : std::false_type {};
template <class T>
struct has_on_event<T, std::void_t<decltype(&T::on_event)>> : std::true_type {};
template <class T, class = void>
struct has_evaluate : std::false_type {};
template <class T>
struct has_evaluate<T, std::void_t<decltype(&T::evaluate)>> : std::true_type {};
template <class T, class = void>
struct has_code_free : std::false_type {};
template <class T>
struct has_code_free<T, std::void_t<decltype(&T::code_free)>> : std::true_type {
};
template <class T, class = void>
struct has_release_code : std::false_type {};
template <class T>
struct has_release_code<T, std::void_t<decltype(&T::release_code)>>
    : std::true_type {};
template <class T, class = void>
struct has_after_fork_child : std::false_type {};
template <class T>
struct has_after_fork_child<T, std::void_t<decltype(&T::after_fork_child)>>
    : std::true_type {};
template <class T, class = void>
struct has_shutdown : std::false_type {};
template <class T>
struct has_shutdown<T, std::void_t<decltype(&T::shutdown)>> : std::true_type {};

// Logs the exception being handled as one line; never throws.
inline void report_exception(pyhooks_plugin* self, const char* where,
                             const char* consequence) noexcept {
  const char* what = "unknown exception";
  try {
    throw;
  } catch (const std::bad_alloc&) {
    what = "out of memory";
  } catch (const std::exception& error) {
    what = error.what();
  } catch (...) {
  }
  try {
    std::string line =
        std::string("internal error in ") + where + ": " + what + consequence;
    self->api->log(self, PYHOOKS_LOG_ERROR, line.c_str());
  } catch (...) {
    self->api->log(self, PYHOOKS_LOG_ERROR, where);
  }
}

template <class T>
struct callbacks {
  static pyhooks_status init(pyhooks_plugin* self) noexcept {
    try {
      self->user_data = new T(host(self));
      return PYHOOKS_OK;
    } catch (const declined& reason) {
      self->api->log(self, PYHOOKS_LOG_INFO, reason.what());
      return PYHOOKS_DECLINED;
    } catch (const init_error& error) {
      self->api->log(self, PYHOOKS_LOG_ERROR, error.what());
      return PYHOOKS_ERROR;
    } catch (...) {
      report_exception(self, "init", "");
      return PYHOOKS_ERROR;
    }
  }

  static void shutdown(pyhooks_plugin* self) noexcept {
    T* object = user_data<T>(self);
    if (object == nullptr) return;
    if constexpr (has_shutdown<T>::value) {
      try {
        object->shutdown();
      } catch (...) {
        report_exception(self, "shutdown", "");
      }
    }
    self->user_data = nullptr;
    delete object;
  }

  static pyhooks_status on_event(pyhooks_plugin* self, pyhooks_event event,
                                 const pyhooks_frame* frame) noexcept {
    T* object = user_data<T>(self);
    if (object == nullptr) return PYHOOKS_OK;
    try {
      return object->on_event(event, frame);
    } catch (...) {
      report_exception(self, "on_event", "");
      return PYHOOKS_ERROR;
    }
  }

  static pyhooks_status evaluate(pyhooks_plugin* self, pyhooks_frame* frame,
                                 struct _object** result) noexcept {
    T* object = user_data<T>(self);
    if (object == nullptr) return PYHOOKS_DECLINED;
    try {
      return object->evaluate(frame, result);
    } catch (...) {
      report_exception(self, "evaluate", " (the frame runs without it)");
      return PYHOOKS_DECLINED;
    }
  }

  static void code_free(pyhooks_plugin* self, const void* code_key, void* slot,
                        void* data) noexcept {
    try {
      if (T* object = user_data<T>(self)) {
        if constexpr (has_code_free<T>::value) {
          object->code_free(code_key, slot, data);
        }
      } else if constexpr (has_release_code<T>::value) {
        T::release_code(slot, data);
      }
    } catch (...) {
      report_exception(self, "code_free", "");
    }
  }

  static void after_fork_child(pyhooks_plugin* self) noexcept {
    T* object = user_data<T>(self);
    if (object == nullptr) return;
    try {
      object->after_fork_child();
    } catch (...) {
      report_exception(self, "after_fork_child", "");
    }
  }
};

}  // namespace detail

// What a plugin descriptor says besides its callbacks; every field has a
// default, so designated initialisers may leave any of them out.
struct plugin_info {
  const char* name = nullptr;
  const char* version = nullptr;
  const char* description = nullptr;
  uint32_t roles = 0;  // PYHOOKS_ROLE_*
  int32_t default_priority = PYHOOKS_PRIORITY_NORMAL;
  uint32_t capabilities = 0;  // PYHOOKS_CAP_*
  uint32_t events = 0;        // observers: PYHOOKS_EVENT_BIT() set wanted
  const char* build_tag = nullptr;
  uint32_t code_data_size = 0;
  uint32_t option_count = 0;
  const pyhooks_option_desc* options = nullptr;
};

// The descriptor for `info` with its callbacks bound to T's members.
template <class T>
constexpr pyhooks_plugin_desc describe(const plugin_info& info) noexcept {
  using bound = detail::callbacks<T>;
  pyhooks_plugin_desc desc = {};
  desc.struct_size = sizeof(pyhooks_plugin_desc);
  desc.name = info.name;
  desc.version = info.version;
  desc.description = info.description;
  desc.roles = info.roles;
  desc.default_priority = info.default_priority;
  desc.capabilities = info.capabilities;
  desc.events = info.events;
  desc.build_tag = info.build_tag;
  desc.code_data_size = info.code_data_size;
  desc.option_count = info.option_count;
  desc.options = info.options;
  desc.init = &bound::init;
  desc.shutdown = &bound::shutdown;
  if constexpr (detail::has_on_event<T>::value)
    desc.on_event = &bound::on_event;
  if constexpr (detail::has_evaluate<T>::value)
    desc.evaluate = &bound::evaluate;
  if constexpr (detail::has_code_free<T>::value ||
                detail::has_release_code<T>::value) {
    desc.code_free = &bound::code_free;
  }
  if constexpr (detail::has_after_fork_child<T>::value) {
    desc.after_fork_child = &bound::after_fork_child;
  }
  return desc;
}

}  // namespace pyhooks
