// tests/unit/plugin_library_test.cc - the test-plugin matrix through the
// loader: each defective variant gives its one-line error, good ones load.
#include "loader/plugin_library.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

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
  ASSERT_EQ(plugin.options.size(), 7u);
  EXPECT_EQ(plugin.options[0].name, "filename");
  EXPECT_EQ(plugin.options[6].type, PYHOOKS_OPTION_STRING_LIST);
  EXPECT_EQ(library->abi_major, PYHOOKS_ABI_MAJOR);
}

TEST_F(PluginMatrix, PluginBuiltAgainstTheFrozen10HeaderLoads) {
  EXPECT_EQ(load_error(variant("frozen_1_0"), in_python()), "(loaded)");
}

TEST_F(PluginMatrix, PluginBuiltAgainstTheFrozen11HeaderLoads) {
  EXPECT_EQ(load_error(variant("frozen_1_1"), in_python()), "(loaded)");
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
  std::string host = "1." + std::to_string(PYHOOKS_ABI_MINOR);
  EXPECT_EQ(
      load_error(path),
      "plugin library '" + path +
          "' was built for pyhooks plugin ABI 2.0 but this host provides ABI " +
          host + "; rebuild it against this pyhooks's plugin.h");
}

TEST_F(PluginMatrix, MinorNewerThanTheHost) {
  std::string path = variant("abi_minor_newer");
  std::string minor = std::to_string(PYHOOKS_ABI_MINOR);
  EXPECT_EQ(load_error(path),
            "plugin library '" + path + "' needs pyhooks plugin ABI 1." +
                std::to_string(PYHOOKS_ABI_MINOR + 1) +
                " but this host provides only 1." + minor +
                "; upgrade pyhooks, or rebuild the plugin with "
                "-DPYHOOKS_TARGET_ABI_MINOR=" +
                minor);
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

// HOST-30: an interpreter trampoline needs per-code bytes to live in.
TEST_F(PluginMatrix, ATrampolineWithoutCodeDataIsRefused) {
  EXPECT_EQ(load_error(variant("trampoline_no_data")),
            "plugin library '" + variant("trampoline_no_data") +
                "' plugin #1 ('trampoline_a') declares "
                "PYHOOKS_CAP_INTERPRETER_TRAMPOLINE, which needs the "
                "EVALUATOR role and code_data_size of at least 8 (the "
                "trampoline's address)");
}

// HOST-14: a library is held to the event bits of the minor it declares.
TEST_F(PluginMatrix, EventBitsBeyondTheDeclaredMinorAreRefused) {
  EXPECT_EQ(load_error(variant("event_beyond_minor")),
            "plugin library '" + variant("event_beyond_minor") +
                "' plugin #1 ('basic') declares event bits unknown to plugin "
                "ABI 1.0 (the minor its library declares)");
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
  EXPECT_EQ(error, "plugin library '" + path +
                       "' cannot be loaded: invalid ELF header (it is not an "
                       "ELF file); rebuild or reinstall it, or remove it from "
                       "the plugin path");
}

TEST_F(BrokenFiles, TruncatedLibrary) {
  // dlopen of this file would fault (SIGBUS) on the first page past its end.
  for (size_t size : {200, 3000}) {
    std::string path = write("pyhooks_zzz.so", good_bytes().substr(0, size));
    std::string error = load_error(path);
    EXPECT_EQ(error.rfind("plugin library '" + path +
                              "' cannot be loaded: the file is truncated: ",
                          0),
              0u)
        << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    EXPECT_EQ(dlopen(path.c_str(), RTLD_LAZY | RTLD_NOLOAD), nullptr);
  }
}

TEST_F(BrokenFiles, FindingByNameOpensNoOtherLibrary) {
  // A truncated library and a good one under another name: neither is
  // opened when looking for a plugin by name (LOADER-2).
  write("pyhooks_zzz.so", good_bytes().substr(0, 3000));
  std::string other = write("other_name.so", good_bytes());
  auto missing = find_plugin("recorder", "", {dir_.string()}, HostFacts{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().rfind("no plugin named 'recorder' in the plugin "
                                  "search path " +
                                      dir_.string() +
                                      " (libraries there: other_name, zzz); "
                                      "a plugin is found by its library's file "
                                      "name, pyhooks_recorder.so or "
                                      "recorder.so",
                                  0),
            0u)
      << missing.error();
  EXPECT_EQ(dlopen(other.c_str(), RTLD_LAZY | RTLD_NOLOAD), nullptr)
      << "the search opened " << other;
  // Named, the truncated one gives its one line.
  auto truncated = find_plugin("zzz", "", {dir_.string()}, HostFacts{});
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().find("the file is truncated"), std::string::npos)
      << truncated.error();
  // LIBRARY:NAME selects a plugin in a library of another name.
  auto named =
      find_plugin("other_name:recorder_b", "", {dir_.string()}, HostFacts{});
  ASSERT_TRUE(named.ok()) << named.error();
  EXPECT_EQ(named->descriptor().name, "recorder_b");
}

TEST_F(BrokenFiles, DirectoriesNamedLikeLibrariesAreAnswered) {
  fs::create_directories(dir_ / "x.so");
  fs::create_directories(dir_ / "pyhooks_d.so");
  std::string path = (dir_ / "x.so").string();
  auto direct = find_plugin(path, "", {}, HostFacts{});
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error(), "plugin library '" + path +
                                "' is a directory, not a plugin library; name "
                                "the .so file inside it");
  auto by_name = find_plugin("d", "", {dir_.string()}, HostFacts{});
  ASSERT_FALSE(by_name.ok());
  EXPECT_NE(by_name.error().find("; '" + (dir_ / "pyhooks_d.so").string() +
                                 "' is a directory, not a plugin library"),
            std::string::npos)
      << by_name.error();
}

TEST_F(BrokenFiles, ARelativePathLoadsThatFileNotASearch) {
  // "-p local.so" is the file in the current directory; dlopen("local.so")
  // would search the system's library path instead (LOADER-5).
  write("local_plugin.so", good_bytes());
  fs::path before = fs::current_path();
  fs::current_path(dir_);
  auto found = find_plugin("local_plugin.so", "", {}, HostFacts{});
  auto missing = find_plugin("libc.so", "", {}, HostFacts{});
  fs::current_path(before);
  ASSERT_FALSE(found.ok());  // the recorder library holds two plugins
  EXPECT_EQ(found.error(),
            "plugin library 'local_plugin.so' holds several plugins "
            "(recorder, recorder_b); name the one to load, as "
            "local_plugin.so:NAME");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(),
            "plugin library 'libc.so' does not exist (a path is used as "
            "given, relative to the current directory)");
}

TEST_F(PluginMatrix, AnEntrySymbolThatIsDataIsNeverCalled) {
  std::string path = variant("entry_data");
  EXPECT_EQ(load_error(path),
            "plugin library '" + path +
                "' cannot be loaded: it exports pyhooks_plugin_entry as data "
                "(an object), not as a function; it is not a pyhooks plugin; "
                "rebuild or reinstall it, or remove it from the plugin path");
}

TEST_F(PluginMatrix, CallbacksOutsideTheLibrarysCodeAreRefused) {
  std::string path = variant("callback_data");
  EXPECT_EQ(load_error(path),
            "plugin library '" + path +
                "' plugin #1 ('basic') has a callback outside the library's "
                "executable code");
}

TEST(PluginTargets, LibraryColonName) {
  auto plain = parse_plugin_target("profiler", "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->library, "profiler");
  EXPECT_EQ(plain->plugin, "");
  EXPECT_FALSE(plain->is_path);
  auto named = parse_plugin_target("build/lib.so:second", "");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->library, "build/lib.so");
  EXPECT_EQ(named->plugin, "second");
  EXPECT_TRUE(named->is_path);
  auto agreeing = parse_plugin_target("lib:second", "second");
  ASSERT_TRUE(agreeing.ok());
  EXPECT_EQ(agreeing->library, "lib");
  auto conflicting = parse_plugin_target("lib:second", "third");
  ASSERT_FALSE(conflicting.ok());
  EXPECT_EQ(conflicting.error(),
            "'lib:second' names plugin 'second', but plugin 'third' is asked "
            "for; name it once");
  auto nul = parse_plugin_target(std::string("lib.so\0x", 8), "");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error(),
            "plugin target 'lib.so...' contains a NUL character; remove it");
  auto dir_colon = parse_plugin_target("a:b/lib.so", "");
  ASSERT_TRUE(dir_colon.ok());
  EXPECT_EQ(dir_colon->library, "a:b/lib.so");
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

TEST_F(PluginMatrix, FindByNameUsesTheFileName) {
  // pyhooks_slot_user.so is a symlink to the variant (tests/plugins).
  auto found = find_plugin("slot_user", "", {plugin_dir()}, in_python());
  ASSERT_TRUE(found.ok()) << found.error();
  EXPECT_EQ(found->descriptor().name, "slot_user");
  EXPECT_EQ(found->library.path, plugin_dir() + "/pyhooks_slot_user.so");
  // A library file that does not hold the plugin asked for says what it has.
  auto other = find_plugin("test_basic", "", {plugin_dir()}, HostFacts{});
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error(), "plugin library '" + variant("basic") +
                               "' has no plugin 'test_basic' (it has: basic); "
                               "select one of them as test_basic:NAME");
}

TEST_F(PluginMatrix, FindByPathAndMissingNames) {
  auto by_path = find_plugin(variant("evaluator"), "", {}, HostFacts{});
  ASSERT_TRUE(by_path.ok()) << by_path.error();
  EXPECT_TRUE(by_path->descriptor().is_evaluator());

  auto missing = find_plugin("nonesuch", "", {plugin_dir()}, HostFacts{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().rfind("no plugin named 'nonesuch' in the plugin "
                                  "search path " +
                                      plugin_dir() + " (libraries there: ",
                                  0),
            0u)
      << missing.error();
  EXPECT_NE(missing.error().find("test_recorder"), std::string::npos);

  auto several = find_plugin(variant("recorder"), "", {}, HostFacts{});
  ASSERT_FALSE(several.ok());
  EXPECT_EQ(several.error(), "plugin library '" + variant("recorder") +
                                 "' holds several plugins (recorder, "
                                 "recorder_b); name the one to load, as " +
                                 variant("recorder") + ":NAME");
  auto colon =
      find_plugin(variant("recorder") + ":recorder_b", "", {}, HostFacts{});
  ASSERT_TRUE(colon.ok()) << colon.error();
  EXPECT_EQ(colon->index, 1u);
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
