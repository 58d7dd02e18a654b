// tests/unit/plugin_library_test.cc - the test-plugin matrix through the
// loader: each defective variant gives its one-line error, good ones load.
#include "loader/plugin_library.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "loader/plugin_search.h"

namespace pyhooks {
namespace {

namespace fs = std::filesystem;

std::string plugin_dir() {
  const char* dir = std::getenv("PYHOOKS_TEST_PLUGIN_DIR");
  return dir ? dir : "";
}

std::string variant(const std::string& name) {
  return plugin_dir() + "/pyhooks_test_" + name + ".so";
}

HostFacts in_python() {
  HostFacts facts;
  facts.python_version_hex = 0x030C01F0;
  facts.python_build_tag = "cpython-312-x86_64-linux-gnu";
  return facts;
}

std::string load_error(const std::string& path,
                       const HostFacts& facts = HostFacts{}) {
  auto library = open_plugin_library(path, facts);
  return library.ok() ? "(loaded)" : library.error();
}

class PluginMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(plugin_dir().empty()) << "PYHOOKS_TEST_PLUGIN_DIR is not set";
  }
};

TEST_F(PluginMatrix, GoodObserverLoadsWithItsDescriptor) {
  // Inspected (no interpreter here): the recorder calls the Python C API,
  // which lazy binding leaves unresolved.
  auto library = open_plugin_library(variant("recorder"), HostFacts{});
  ASSERT_TRUE(library.ok()) << library.error();
  ASSERT_EQ(library->plugins.size(), 2u);
  EXPECT_EQ(library->plugins[1].name, "recorder_b");
  const PluginDescriptor& plugin = library->plugins[0];
  EXPECT_EQ(plugin.name, "recorder");
  EXPECT_EQ(plugin.version, "1.0.0");
  EXPECT_TRUE(plugin.is_observer());
  EXPECT_FALSE(plugin.is_evaluator());
  EXPECT_EQ(plugin.default_priority, PYHOOKS_PRIORITY_NORMAL);
  EXPECT_EQ(plugin.events, PYHOOKS_EVENTS_ALL);
  ASSERT_EQ(plugin.options.size(), 6u);
  EXPECT_EQ(plugin.options[0].name, "filename");
  EXPECT_EQ(plugin.options[5].type, PYHOOKS_OPTION_STRING_LIST);
  EXPECT_EQ(library->abi_major, PYHOOKS_ABI_MAJOR);
}

TEST_F(PluginMatrix, PluginBuiltAgainstTheFrozen10HeaderLoads) {
  EXPECT_EQ(load_error(variant("frozen_1_0"), in_python()), "(loaded)");
}

TEST_F(PluginMatrix, MissingEntrySymbol) {
  std::string path = variant("no_entry");
  EXPECT_EQ(load_error(path),
            "plugin library '" + path +
                "' does not export pyhooks_plugin_entry; it is not a pyhooks "
                "plugin (or was built without PYHOOKS_EXPORT on its entry)");
}

TEST_F(PluginMatrix, AbiMajorMismatchNamesBothVersions) {
  std::string path = variant("abi_major");
  EXPECT_EQ(load_error(path),
            "plugin library '" + path +
                "' was built for pyhooks plugin ABI 2.0 but this host "
                "provides ABI 1." +
                std::to_string(PYHOOKS_ABI_MINOR) +
                "; rebuild it against this pyhooks's plugin.h");
}

TEST_F(PluginMatrix, MinorNewerThanTheHost) {
  std::string path = variant("abi_minor_newer");
  EXPECT_EQ(load_error(path),
            "plugin library '" + path + "' needs pyhooks plugin ABI 1." +
                std::to_string(PYHOOKS_ABI_MINOR + 1) +
                " but this host provides only 1." +
                std::to_string(PYHOOKS_ABI_MINOR) +
                "; upgrade pyhooks, or rebuild the plugin with "
                "-DPYHOOKS_TARGET_ABI_MINOR=" +
                std::to_string(PYHOOKS_ABI_MINOR));
}

TEST_F(PluginMatrix, DecliningIsPoliteAndOnlyInPython) {
  auto inspected = open_plugin_library(variant("declines"), HostFacts{});
  ASSERT_TRUE(inspected.ok());
  EXPECT_FALSE(inspected->declined);
  auto running = open_plugin_library(variant("declines"), in_python());
  ASSERT_TRUE(running.ok());
  EXPECT_TRUE(running->declined);
  EXPECT_EQ(running->decline_reason,
            "test: this plugin never runs on this Python");
}

TEST_F(PluginMatrix, DescriptorDefectsAreNamed) {
  std::string prefix = "plugin library '";
  EXPECT_EQ(load_error(variant("no_callback")),
            prefix + variant("no_callback") +
                "' plugin #1 ('basic') is an observer but has no on_event "
                "callback");
  EXPECT_EQ(load_error(variant("bad_name")),
            prefix + variant("bad_name") +
                "' plugin #1 name 'Bad Name!' is not valid (use 1-64 of a-z "
                "0-9 _ - .)");
  EXPECT_EQ(load_error(variant("bad_priority")),
            prefix + variant("bad_priority") +
                "' plugin #1 ('basic') default_priority 5000 is outside "
                "0..1000");
  EXPECT_EQ(load_error(variant("garbage_count")),
            prefix + variant("garbage_count") +
                "' its library descriptor has an invalid plugin table "
                "(100000 entries)");
}

class BrokenFiles : public PluginMatrix {
 protected:
  void SetUp() override {
    PluginMatrix::SetUp();
    dir_ = fs::temp_directory_path() /
           ("pyhooks-unit-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
  }
  std::string good_bytes() {
    std::ifstream in(variant("recorder"), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

TEST_F(BrokenFiles, NotAnElfFile) {
  std::string path =
      write("text.so", std::string(512, 'x') + "\nnot a shared object\n");
  std::string error = load_error(path);
  EXPECT_EQ(error.rfind("plugin library '" + path + "' cannot be loaded: ", 0),
            0u)
      << error;
  EXPECT_NE(error.find("invalid ELF header"), std::string::npos) << error;
  EXPECT_NE(error.find("is it a plugin built for this machine?"),
            std::string::npos);
}

TEST_F(BrokenFiles, TruncatedLibrary) {
  std::string path = write("truncated.so", good_bytes().substr(0, 200));
  std::string error = load_error(path);
  EXPECT_NE(error.find("cannot be loaded"), std::string::npos) << error;
}

TEST_F(PluginMatrix, PythonApiPluginsNeedAnInterpreterToLoadForReal) {
  // With "in Python" facts binding is immediate; this test binary has no
  // libpython, so the Python symbols are missing and the message says so.
  std::string error = load_error(variant("evaluator"), in_python());
  EXPECT_NE(error.find("undefined symbol: PyNumber_Add"), std::string::npos)
      << error;
  // The raising observer refers to Python *data* (PyExc_ValueError), which
  // even lazy binding must resolve: inspection explains why it cannot read it.
  std::string inspected = load_error(variant("raising_observer"));
  EXPECT_NE(inspected.find("it uses the Python C API, so only an interpreter "
                           "can read it"),
            std::string::npos)
      << inspected;
}

TEST_F(BrokenFiles, WrongElfClass) {
  std::string bytes = good_bytes();
  bytes[4] = 1;  // EI_CLASS = ELFCLASS32
  std::string path = write("class32.so", bytes);
  std::string error = load_error(path);
  EXPECT_NE(error.find("wrong ELF class"), std::string::npos) << error;
}

TEST_F(PluginMatrix, FindByNameScansTheSearchPath) {
  auto found = find_plugin("slot_user", "", {plugin_dir()}, in_python());
  ASSERT_TRUE(found.ok()) << found.error();
  EXPECT_EQ(found->descriptor().name, "slot_user");
  EXPECT_EQ(found->library.path, variant("slot_user"));
}

TEST_F(PluginMatrix, FindByPathAndMissingNames) {
  auto by_path = find_plugin(variant("evaluator"), "", {}, HostFacts{});
  ASSERT_TRUE(by_path.ok()) << by_path.error();
  EXPECT_TRUE(by_path->descriptor().is_evaluator());

  auto missing = find_plugin("nonesuch", "", {plugin_dir()}, HostFacts{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().rfind("no plugin named 'nonesuch' in the plugin "
                                  "search path " +
                                      plugin_dir() + " (available: ",
                                  0),
            0u)
      << missing.error();
  EXPECT_NE(missing.error().find("recorder"), std::string::npos);

  auto several = find_plugin(variant("recorder"), "", {}, HostFacts{});
  ASSERT_FALSE(several.ok());
  EXPECT_EQ(several.error(), "plugin library '" + variant("recorder") +
                                 "' holds several plugins (recorder, "
                                 "recorder_b); name the one to load");
  auto second = find_plugin(variant("recorder"), "recorder_b", {}, HostFacts{});
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(second->index, 1u);

  auto declined = find_plugin(variant("declines"), "", {}, in_python());
  ASSERT_FALSE(declined.ok());
  EXPECT_EQ(declined.error(), "plugin library '" + variant("declines") +
                                  "' declined to load on this Python: test: "
                                  "this plugin never runs on this Python");
}

}  // namespace
}  // namespace pyhooks
