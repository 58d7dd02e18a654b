// tests/plugin_hpp/plugin_hpp_test.cc - pyhooks/plugin.hpp against a fake
// host: defaults come from the option table, configured values and wrong
// types, ranges and choices give one init_error line each, and no exception
// thrown by a plugin object leaves a callback (init, on_event, evaluate,
// code_free, after_fork_child, shutdown).
#include <gtest/gtest.h>
#include <pyhooks/plugin.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

// ---- A fake host: options from maps, log lines recorded. -----------------

struct FakeHost {
  std::map<std::string, std::string> strings;
  std::map<std::string, int64_t> integers;
  std::map<std::string, int32_t> booleans;
  std::map<std::string, std::vector<std::string>> lists;
  std::vector<std::string> wrong_type;  // names answered with E_TYPE
  std::vector<std::pair<int32_t, std::string>> log;
};

struct Handle {
  pyhooks_plugin plugin{};
  pyhooks_host_api api{};
  FakeHost host;
};

// The fake host functions find their FakeHost by handle.
std::map<pyhooks_plugin*, FakeHost*>& hosts() {
  static std::map<pyhooks_plugin*, FakeHost*> table;
  return table;
}

template <class Map>
pyhooks_status lookup(pyhooks_plugin* self, const char* name, const Map& map,
                      typename Map::mapped_type* out) {
  FakeHost* host = hosts().at(self);
  for (const std::string& bad : host->wrong_type) {
    if (bad == name) return PYHOOKS_E_TYPE;
  }
  auto found = map.find(name);
  if (found == map.end()) return PYHOOKS_E_NOT_FOUND;
  *out = found->second;
  return PYHOOKS_OK;
}

void fake_log(pyhooks_plugin* self, int32_t level, const char* message) {
  hosts().at(self)->log.emplace_back(level, message);
}

pyhooks_status fake_string(pyhooks_plugin* self, const char* name,
                           const char** out) {
  FakeHost* host = hosts().at(self);
  std::string* value = nullptr;
  for (const std::string& bad : host->wrong_type) {
    if (bad == name) return PYHOOKS_E_TYPE;
  }
  auto found = host->strings.find(name);
  if (found == host->strings.end()) return PYHOOKS_E_NOT_FOUND;
  value = &found->second;
  *out = value->c_str();
  return PYHOOKS_OK;
}

pyhooks_status fake_int(pyhooks_plugin* self, const char* name, int64_t* out) {
  return lookup(self, name, hosts().at(self)->integers, out);
}

pyhooks_status fake_bool(pyhooks_plugin* self, const char* name, int32_t* out) {
  return lookup(self, name, hosts().at(self)->booleans, out);
}

pyhooks_status fake_list_count(pyhooks_plugin* self, const char* name,
                               uint32_t* count) {
  std::vector<std::string> items;
  pyhooks_status status = lookup(self, name, hosts().at(self)->lists, &items);
  if (status == PYHOOKS_OK) *count = static_cast<uint32_t>(items.size());
  return status;
}

pyhooks_status fake_list_item(pyhooks_plugin* self, const char* name,
                              uint32_t index, const char** out) {
  auto& lists = hosts().at(self)->lists;
  auto found = lists.find(name);
  if (found == lists.end() || index >= found->second.size()) {
    return PYHOOKS_E_NOT_FOUND;
  }
  *out = found->second[index].c_str();
  return PYHOOKS_OK;
}

class HandleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_.api.struct_size = sizeof(pyhooks_host_api);
    handle_.api.log = fake_log;
    handle_.api.option_string = fake_string;
    handle_.api.option_int = fake_int;
    handle_.api.option_bool = fake_bool;
    handle_.api.option_list_count = fake_list_count;
    handle_.api.option_list_item = fake_list_item;
    handle_.plugin.struct_size = sizeof(pyhooks_plugin);
    handle_.plugin.api = &handle_.api;
    handle_.plugin.name = "fake";
    hosts()[&handle_.plugin] = &handle_.host;
  }
  void TearDown() override { hosts().erase(&handle_.plugin); }

  pyhooks_plugin* self() { return &handle_.plugin; }
  FakeHost& host() { return handle_.host; }
  std::string only_line() {
    EXPECT_EQ(host().log.size(), 1u);
    return host().log.empty() ? "" : host().log.back().second;
  }

  Handle handle_;
};

// ---- Options ---------------------------------------------------------------

constexpr pyhooks_option_desc kTable[] = {
    {"rows", PYHOOKS_OPTION_INT, "20", "rows"},
    {"clock", PYHOOKS_OPTION_STRING, "wall", "clock"},
    {"verbose", PYHOOKS_OPTION_BOOL, "true", "verbose"},
    {"globs", PYHOOKS_OPTION_STRING_LIST, nullptr, "globs"},
    {"names", PYHOOKS_OPTION_STRING_LIST, "a,b", "names"},
    {"broken", PYHOOKS_OPTION_INT, "twenty", "a bad default"},
};

using OptionsTest = HandleTest;

TEST_F(OptionsTest, UnconfiguredOptionsReadTheirTableDefault) {
  pyhooks::option_reader options = pyhooks::host(self()).options(kTable);
  EXPECT_EQ(options.integer("rows"), 20);
  EXPECT_EQ(options.string("clock"), "wall");
  EXPECT_TRUE(options.boolean("verbose"));
  EXPECT_TRUE(options.strings("globs").empty());
  EXPECT_EQ(options.strings("names"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(options.configured("rows"));
}

TEST_F(OptionsTest, ConfiguredValuesWin) {
  host().integers["rows"] = 3;
  host().strings["clock"] = "cpu";
  host().booleans["verbose"] = 0;
  host().lists["globs"] = {"json", "*/x/*"};
  pyhooks::option_reader options = pyhooks::host(self()).options(kTable);
  EXPECT_TRUE(options.configured("rows"));
  EXPECT_EQ(options.integer("rows"), 3);
  EXPECT_EQ(options.choice("clock", {"wall", "cpu"}), 1u);
  EXPECT_FALSE(options.boolean("verbose"));
  EXPECT_EQ(options.strings("globs"),
            (std::vector<std::string>{"json", "*/x/*"}));
}

TEST_F(OptionsTest, BadValuesAreOneLineNamingTheOption) {
  host().integers["rows"] = -1;
  host().strings["clock"] = "fast";
  host().wrong_type = {"verbose"};
  pyhooks::option_reader options = pyhooks::host(self()).options(kTable);
  try {
    options.integer_in("rows", 0, 100, "give a row count");
    FAIL() << "no init_error";
  } catch (const pyhooks::init_error& error) {
    EXPECT_STREQ(error.what(),
                 "option rows=-1 is out of range 0..100; give a row count");
  }
  try {
    options.choice("clock", {"wall", "cpu"});
    FAIL() << "no init_error";
  } catch (const pyhooks::init_error& error) {
    EXPECT_STREQ(error.what(),
                 "option clock=\"fast\" is not valid; use \"wall\" or \"cpu\"");
  }
  EXPECT_THROW(options.boolean("verbose"), pyhooks::init_error);
  EXPECT_THROW(options.integer("broken"), pyhooks::init_error);
  EXPECT_THROW(options.integer("clock"), pyhooks::init_error);  // not an int
  EXPECT_THROW(options.string("undeclared"), pyhooks::init_error);
}

// ---- Callbacks -------------------------------------------------------------

// Throws in the callback its `throw_in` option names.
struct Thrower {
  static constexpr pyhooks_option_desc kOptions[] = {
      {"throw_in", PYHOOKS_OPTION_STRING, "", "callback that throws"},
  };
  static inline int alive = 0;
  static inline int released = 0;

  explicit Thrower(pyhooks::host host)
      : where(host.options(kOptions).string("throw_in")) {
    if (where == "init") throw std::runtime_error("boom");
    if (where == "init_error") throw pyhooks::init_error("option x is bad");
    if (where == "declined") throw pyhooks::declined("nothing to do here");
    ++alive;
  }
  ~Thrower() { --alive; }
  pyhooks_status on_event(pyhooks_event, const pyhooks_frame*) {
    if (where == "on_event") throw std::bad_alloc();
    return PYHOOKS_OK;
  }
  pyhooks_status evaluate(pyhooks_frame*, struct _object**) {
    if (where == "evaluate") throw std::logic_error("no");
    return PYHOOKS_DECLINED;
  }
  void code_free(const void*, void*, void*) {
    if (where == "code_free") throw 42;
  }
  static void release_code(void*, void*) { ++released; }
  void after_fork_child() {
    if (where == "after_fork_child") throw std::runtime_error("fork");
  }
  void shutdown() {
    if (where == "shutdown") throw std::runtime_error("disk full");
  }

  std::string where;
};

// Has only on_event: every other callback stays NULL.
struct Minimal {
  explicit Minimal(pyhooks::host) {}
  pyhooks_status on_event(pyhooks_event, const pyhooks_frame*) {
    return PYHOOKS_OK;
  }
};

constexpr pyhooks_plugin_desc kThrower = pyhooks::describe<Thrower>({
    .name = "thrower",
    .roles = PYHOOKS_ROLE_OBSERVER,
    .option_count = 1,
    .options = Thrower::kOptions,
});
constexpr pyhooks_plugin_desc kMinimal =
    pyhooks::describe<Minimal>({.name = "minimal"});

using CallbacksTest = HandleTest;

TEST_F(CallbacksTest, DescribeBindsWhatTheClassHas) {
  EXPECT_EQ(kThrower.struct_size, sizeof(pyhooks_plugin_desc));
  EXPECT_EQ(kThrower.default_priority, PYHOOKS_PRIORITY_NORMAL);
  EXPECT_NE(kThrower.evaluate, nullptr);
  EXPECT_NE(kThrower.code_free, nullptr);
  EXPECT_NE(kThrower.after_fork_child, nullptr);
  EXPECT_NE(kMinimal.init, nullptr);
  EXPECT_NE(kMinimal.shutdown, nullptr);
  EXPECT_NE(kMinimal.on_event, nullptr);
  EXPECT_EQ(kMinimal.evaluate, nullptr);
  EXPECT_EQ(kMinimal.code_free, nullptr);
  EXPECT_EQ(kMinimal.after_fork_child, nullptr);
}

TEST_F(CallbacksTest, ObjectLivesFromInitToShutdown) {
  ASSERT_EQ(kThrower.init(self()), PYHOOKS_OK);
  EXPECT_EQ(Thrower::alive, 1);
  EXPECT_NE(pyhooks::user_data<Thrower>(self()), nullptr);
  pyhooks_frame frame{};
  EXPECT_EQ(kThrower.on_event(self(), PYHOOKS_EVENT_START, &frame), PYHOOKS_OK);
  kThrower.shutdown(self());
  EXPECT_EQ(Thrower::alive, 0);
  EXPECT_EQ(pyhooks::user_data<Thrower>(self()), nullptr);
  // code_free for code still alive comes after shutdown: release_code.
  int before = Thrower::released;
  kThrower.code_free(self(), nullptr, nullptr, nullptr);
  EXPECT_EQ(Thrower::released, before + 1);
  EXPECT_TRUE(host().log.empty());
}

TEST_F(CallbacksTest, InitFailuresAreOneLine) {
  host().strings["throw_in"] = "init";
  EXPECT_EQ(kThrower.init(self()), PYHOOKS_ERROR);
  EXPECT_EQ(only_line(), "internal error in init: boom");
  host().log.clear();
  host().strings["throw_in"] = "init_error";
  EXPECT_EQ(kThrower.init(self()), PYHOOKS_ERROR);
  EXPECT_EQ(only_line(), "option x is bad");
  EXPECT_EQ(host().log.back().first, PYHOOKS_LOG_ERROR);
  host().log.clear();
  host().strings["throw_in"] = "declined";
  EXPECT_EQ(kThrower.init(self()), PYHOOKS_DECLINED);
  EXPECT_EQ(host().log.back().first, PYHOOKS_LOG_INFO);
  EXPECT_EQ(Thrower::alive, 0);
  EXPECT_EQ(pyhooks::user_data<Thrower>(self()), nullptr);
}

TEST_F(CallbacksTest, NoExceptionLeavesAnyCallback) {
  struct Case {
    const char* where;
    const char* line;
  };
  const Case cases[] = {
      {"on_event", "internal error in on_event: out of memory"},
      {"evaluate",
       "internal error in evaluate: no (the frame runs without it)"},
      {"code_free", "internal error in code_free: unknown exception"},
      {"after_fork_child", "internal error in after_fork_child: fork"},
      {"shutdown", "internal error in shutdown: disk full"},
  };
  for (const Case& c : cases) {
    host().log.clear();
    host().strings["throw_in"] = c.where;
    ASSERT_EQ(kThrower.init(self()), PYHOOKS_OK) << c.where;
    pyhooks_frame frame{};
    struct _object* result = nullptr;
    EXPECT_EQ(kThrower.on_event(self(), PYHOOKS_EVENT_START, &frame),
              std::string(c.where) == "on_event" ? PYHOOKS_ERROR : PYHOOKS_OK);
    EXPECT_EQ(kThrower.evaluate(self(), &frame, &result), PYHOOKS_DECLINED);
    kThrower.code_free(self(), &frame, nullptr, nullptr);
    kThrower.after_fork_child(self());
    kThrower.shutdown(self());
    EXPECT_EQ(Thrower::alive, 0) << c.where;  // deleted even after a throw
    EXPECT_EQ(only_line(), c.line) << c.where;
  }
}

}  // namespace
