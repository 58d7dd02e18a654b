// tests/cli/config_test.cc - the config library without Python: parsing into
// the typed model, locating files, resolving selections against the test
// plugins, and the bad-configuration table (bad_configs/, shared with
// test_config_errors.py).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config_locate.h"
#include "config_parse.h"
#include "selection.h"

namespace pyhooks {
namespace {

namespace fs = std::filesystem;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void replace_all(std::string& text, const std::string& from,
                 const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos;
       at += to.size()) {
    text.replace(at, from.size(), to);
  }
}

// A scratch directory that is the current directory while it lives.
class ScratchDir {
 public:
  ScratchDir() : previous_(fs::current_path()) {
    std::string pattern =
        (fs::temp_directory_path() / "pyhooks-config-XXXXXX").string();
    path_ = fs::canonical(mkdtemp(pattern.data()));
    fs::current_path(path_);
  }
  ~ScratchDir() {
    fs::current_path(previous_);
    fs::remove_all(path_);
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }

 private:
  fs::path previous_;
  fs::path path_;
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    plugin_dir_ = env("PYHOOKS_TEST_PLUGIN_DIR");
    ASSERT_FALSE(plugin_dir_.empty()) << "PYHOOKS_TEST_PLUGIN_DIR is not set";
    setenv("PYHOOKS_PLUGIN_PATH", plugin_dir_.c_str(), 1);
  }

  Config parse(const std::string& text) {
    ConfigText source{text, "pyhooks.toml", "/base",
                      ConfigOrigin::kPyhooksToml};
    auto config = parse_config(source);
    EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error());
    return config.ok() && config->has_value() ? config->value() : Config{};
  }

  Result<Selection> select(const Config& config, Overrides overrides = {}) {
    std::vector<std::string> dirs;
    for (const auto& dir : config.plugin_path) dirs.push_back(dir.value);
    PluginCatalog catalog(search_dirs(dirs), HostFacts{});
    return select_plugins(config, overrides, catalog);
  }

  std::string plugin_dir_;
};

TEST_F(ConfigTest, ParsesEveryKeyWithItsPosition) {
  Config config = parse(
      "python = \"python3.12\"\n"
      "plugin_path = [\"plugins\", \"/abs\"]\n"
      "order = [\"tracer\", \"*\"]\n"
      "strict = true\n"
      "event_source = \"eval_frame\"\n"
      "children = false\n"
      "[plugin.tracer]\n"
      "enabled = false\n"
      "priority = 300\n"
      "required = false\n"
      "library = \"lib/t.so\"\n"
      "[plugin.tracer.options]\n"
      "s = \"x\"\n"
      "i = 3\n"
      "f = 0.5\n"
      "b = true\n"
      "l = [\"a\", \"b\"]\n");
  EXPECT_EQ(config.python->value, "python3.12");
  EXPECT_EQ(config.python->where.line, 1u);
  EXPECT_EQ(config.python->where.column, 10u);
  ASSERT_EQ(config.plugin_path.size(), 2u);
  EXPECT_EQ(config.plugin_path[0].value, "/base/plugins");
  EXPECT_EQ(config.plugin_path[1].value, "/abs");
  ASSERT_EQ(config.order->value.size(), 2u);
  EXPECT_EQ(config.order->value[1].value, "*");
  EXPECT_TRUE(config.strict->value);
  EXPECT_EQ(config.event_source->value, "eval_frame");
  EXPECT_FALSE(config.children->value);
  ASSERT_EQ(config.plugins.size(), 1u);
  const PluginConfig& tracer = config.plugins[0];
  EXPECT_EQ(tracer.name, "tracer");
  EXPECT_EQ(tracer.where.line, 7u);
  EXPECT_FALSE(tracer.enabled->value);
  EXPECT_EQ(tracer.priority->value, 300);
  EXPECT_FALSE(tracer.required->value);
  EXPECT_EQ(tracer.library->value, "/base/lib/t.so");
  ASSERT_EQ(tracer.options.size(), 5u);  // in file order
  EXPECT_EQ(tracer.options[0].value.type, PYHOOKS_OPTION_STRING);
  EXPECT_EQ(tracer.options[1].value.integer, 3);
  EXPECT_EQ(tracer.options[2].value.number, 0.5);
  EXPECT_TRUE(tracer.options[3].value.boolean);
  EXPECT_EQ(tracer.options[4].value.items,
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(tracer.options[4].key_where.line, 17u);
}

TEST_F(ConfigTest, PyprojectWithoutToolTableIsNotAConfig) {
  ConfigText source{"[project]\nname = \"x\"\n", "pyproject.toml", "/base",
                    ConfigOrigin::kPyprojectToml};
  auto config = parse_config(source);
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->has_value());
}

TEST_F(ConfigTest, LocatesFilesInOrder) {
  ScratchDir dir;
  EXPECT_EQ(load_config({})->origin, ConfigOrigin::kEmbeddedDefault);
  dir.write("pyproject.toml", "[tool.pyhooks]\nstrict = true\n");
  EXPECT_EQ(load_config({})->origin, ConfigOrigin::kPyprojectToml);
  EXPECT_EQ(load_config({})->description(), "pyproject.toml [tool.pyhooks]");
  dir.write("pyhooks.toml", "strict = false\n");
  EXPECT_EQ(load_config({})->file, "pyhooks.toml");
  dir.write("other.toml", "children = false\n");
  ConfigChoice named;
  named.env_file = "other.toml";
  EXPECT_EQ(load_config(named)->file, "other.toml");
  named.explicit_file = "missing.toml";
  EXPECT_EQ(load_config(named).error(),
            "pyhooks: error: config file 'missing.toml' (named by --config) "
            "does not exist");
}

TEST_F(ConfigTest, DefaultConfigurationEnablesTheProfilerAsOptional) {
  Config config = default_config();
  ASSERT_EQ(config.plugins.size(), 1u);
  EXPECT_EQ(config.plugins[0].name, "profiler");
  EXPECT_FALSE(config.plugins[0].required->value);
  EXPECT_FALSE(config.plugins[0].where.known());
}

TEST_F(ConfigTest, DefaultProfilerIsOptionalUnlessNamedWithP) {
  // The test binary has no installed plugin directory: no profiler here.
  Config config = default_config();
  auto selection = select(config);
  ASSERT_TRUE(selection.ok()) << selection.error();
  EXPECT_TRUE(selection->chain.empty());
  ASSERT_EQ(selection->warnings.size(), 1u);
  EXPECT_EQ(selection->warnings[0].rfind(
                "pyhooks: warning: built-in default: no plugin named "
                "'profiler'",
                0),
            0u);
  Overrides cli;
  cli.plugins = {"profiler"};
  selection = select(config, cli);
  ASSERT_FALSE(selection.ok());
  EXPECT_EQ(selection.error().rfind(
                "pyhooks: error: -p profiler: no plugin named 'profiler'", 0),
            0u);
}

TEST_F(ConfigTest, MessagesCarryPositions) {
  EXPECT_EQ(located_text({"a.toml", 3, 7}, "warning", "m"),
            "a.toml:3:7: warning: m");
  EXPECT_EQ(located_text({}, "error", "m"), "pyhooks: error: m");
}

TEST_F(ConfigTest, SplitsEnvironmentLists) {
  EXPECT_EQ(split_names(" a, b,,a ,c "),
            (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(split_names("").empty());
}

TEST_F(ConfigTest, SelectsConfiguredPluginsInChainOrder) {
  Config config = parse(
      "[plugin.basic]\npriority = 100\n"
      "[plugin.recorder]\npriority = 900\n"
      "[plugin.recorder.options]\ntag = \"t\"\n"
      "[plugin.slot_user]\nenabled = false\n");
  auto selection = select(config);
  ASSERT_TRUE(selection.ok()) << selection.error();
  ASSERT_EQ(selection->chain.size(), 2u);
  EXPECT_EQ(selection->chain[0].name, "recorder");
  EXPECT_EQ(selection->chain[0].position, "priority 900 (configured)");
  EXPECT_EQ(selection->chain[0].options.find("tag")->text, "t");
  EXPECT_EQ(selection->chain[0].library,
            plugin_dir_ + "/pyhooks_recorder.so");  // found by file name
  EXPECT_EQ(selection->chain[1].name, "basic");
}

TEST_F(ConfigTest, OverridesFromCommandLineAndEnvironment) {
  Config config = parse("[plugin.basic]\n[plugin.recorder]\npriority = 7\n");
  Overrides cli;
  cli.plugins = {"recorder"};
  cli.options = {"recorder.thread=yes"};
  auto selection = select(config, cli);
  ASSERT_TRUE(selection.ok()) << selection.error();
  ASSERT_EQ(selection->chain.size(), 1u);
  EXPECT_EQ(selection->chain[0].priority, 7);
  EXPECT_TRUE(selection->chain[0].options.find("thread")->boolean);

  Overrides env_lists;
  env_lists.enable = {"slot_user"};
  env_lists.disable = {"basic"};
  selection = select(config, env_lists);
  ASSERT_TRUE(selection.ok()) << selection.error();
  std::vector<std::string> names;
  for (const auto& plugin : selection->chain) names.push_back(plugin.name);
  EXPECT_EQ(names, (std::vector<std::string>{"slot_user", "recorder"}));
}

TEST_F(ConfigTest, OrderSkipsConfiguredButUnselectedPlugins) {
  Config config = parse(
      "order = [\"basic\", \"recorder\"]\n"
      "[plugin.basic]\nenabled = "
      "false\n[plugin.recorder]\n[plugin.slot_user]\n");
  auto selection = select(config);
  ASSERT_TRUE(selection.ok()) << selection.error();
  EXPECT_EQ(*selection->order, (std::vector<std::string>{"recorder"}));
  ASSERT_EQ(selection->chain.size(), 1u);  // slot_user: not in order, no "*"
  ASSERT_EQ(selection->warnings.size(), 1u);
  EXPECT_NE(selection->warnings[0].find("'slot_user' is selected but not in "
                                        "order"),
            std::string::npos);
}

TEST_F(ConfigTest, LibraryNeedingPythonIsLeftToTheHost) {
  Config config =
      parse("[plugin.raising_observer]\nlibrary = \"" + plugin_dir_ +
            "/pyhooks_test_raising_observer.so\"\n"
            "[plugin.raising_observer.options]\ntag = \"x\"\n");
  auto selection = select(config);
  ASSERT_TRUE(selection.ok()) << selection.error();
  ASSERT_EQ(selection->chain.size(), 1u);
  EXPECT_FALSE(selection->chain[0].descriptor.has_value());
  EXPECT_NE(selection->chain[0].deferred.find("PyExc_ValueError"),
            std::string::npos);
  EXPECT_EQ(selection->chain[0].options.find("tag")->text, "x");
}

TEST_F(ConfigTest, OptionTypeMustMatchTheDeclaration) {
  Config config = parse("[plugin.recorder.options]\nthread = 1\n");
  auto selection = select(config);
  ASSERT_FALSE(selection.ok());
  EXPECT_EQ(selection.error(),
            "pyhooks.toml:2:10: error: plugin 'recorder': option 'thread' "
            "must be a bool (got 1)");
}

// The table shared with tests/cli/test_config_errors.py.
TEST_F(ConfigTest, BadConfigurationTable) {
  fs::path table =
      fs::path(env("PYHOOKS_SOURCE_DIR")) / "tests/cli/bad_configs";
  ASSERT_TRUE(fs::is_directory(table)) << table;
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(table)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(name);
    ++cases;
    std::string text = read_file(entry.path());
    std::string expected;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("# expect: ", 0) == 0) expected = line.substr(10);
    }
    ASSERT_FALSE(expected.empty());
    bool pyproject = name.size() > 15 &&
                     name.compare(name.size() - 15, 15, ".pyproject.toml") == 0;
    std::string file = pyproject ? "pyproject.toml" : "pyhooks.toml";
    ScratchDir dir;
    replace_all(text, "{plugins}", plugin_dir_);
    replace_all(expected, "{plugins}", plugin_dir_);
    replace_all(expected, "{dir}", dir.path().string());
    expected = file + ":" + expected;
    dir.write(file, text);

    auto config = load_config({});
    std::string error;
    if (!config.ok()) {
      error = config.error();
    } else {
      auto selection = select(config.value());
      ASSERT_FALSE(selection.ok()) << "no error for " << name;
      error = selection.error();
    }
    if (expected.size() > 3 &&
        expected.compare(expected.size() - 3, 3, "...") == 0) {
      EXPECT_EQ(error.substr(0, expected.size() - 3),
                expected.substr(0, expected.size() - 3));
    } else {
      EXPECT_EQ(error, expected);
    }
  }
  EXPECT_GE(cases, 30);
}

// Robustness: every prefix of every table case and of the example
// configuration, and byte-level mutations of them, parse to a model or to
// exactly one error line (never a crash, never a multi-line message).
TEST_F(ConfigTest, DamagedFilesGiveOneLineErrors) {
  fs::path source = env("PYHOOKS_SOURCE_DIR");
  std::vector<fs::path> inputs = {source / "examples/pyhooks.toml"};
  for (const auto& entry :
       fs::directory_iterator(source / "tests/cli/bad_configs")) {
    if (entry.path().extension() == ".toml") inputs.push_back(entry.path());
  }
  auto check = [](const std::string& text) {
    ConfigText config{text, "pyhooks.toml", "/base",
                      ConfigOrigin::kPyhooksToml};
    auto parsed = parse_config(config);
    if (!parsed.ok()) {
      const std::string& error = parsed.error();
      EXPECT_EQ(error.find('\n'), std::string::npos) << error;
      EXPECT_EQ(error.rfind("pyhooks.toml:", 0), 0u) << error;
    }
  };
  uint32_t seed = 12345;  // a fixed LCG: the same mutations every run
  auto next = [&seed]() { return seed = seed * 1103515245u + 12345u; };
  const char kBytes[] = "[]{}=\"'.,#\n\\ 0aZ\x80\xff\x00";
  int inputs_checked = 0;
  for (const fs::path& input : inputs) {
    std::string text = read_file(input);
    ASSERT_FALSE(text.empty()) << input;
    ++inputs_checked;
    for (size_t length = 0; length <= text.size(); ++length) {
      check(text.substr(0, length));
    }
    for (int round = 0; round < 300; ++round) {
      std::string damaged = text;
      for (int edits = 1 + next() % 3; edits > 0; --edits) {
        size_t at = next() % damaged.size();
        damaged[at] = kBytes[next() % (sizeof(kBytes) - 1)];
      }
      check(damaged);
    }
  }
  EXPECT_GE(inputs_checked, 31);
  check("[#x]\n");  // trips an assertion inside toml++ 3.3 unless disabled
  check("[[#x]]\n");
}

}  // namespace
}  // namespace pyhooks
