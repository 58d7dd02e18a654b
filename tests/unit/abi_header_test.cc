// tests/unit/abi_header_test.cc - the public header may not change without a
// version bump (plugin ABI policy HOST-8).
//
// For the version the header declares (PYHOOKS_ABI_MAJOR.MINOR), a frozen
// copy plugin-api/abi/plugin-MAJOR.MINOR.h must exist and be identical to the
// header once comments and whitespace are ignored. Changing the header
// therefore fails this test until the minor is bumped and the new version is
// frozen; every older frozen copy stays, and test plugins are built against
// them (tests/plugins) to prove that old plugins still load. While the newest
// minor is open (PYHOOKS_ABI_MINOR_OPEN), its text is free and only the
// layout of the frozen minors binds it.
#include <gtest/gtest.h>
#include <pyhooks/plugin.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Drops comments, line continuations and all whitespace, so that only
// declarations count.
std::string normalized(const std::string& source) {
  std::string out;
  for (size_t i = 0; i < source.size(); ++i) {
    if (source.compare(i, 2, "/*") == 0) {
      size_t end = source.find("*/", i + 2);
      i = end == std::string::npos ? source.size() : end + 1;
    } else if (source.compare(i, 2, "//") == 0) {
      size_t end = source.find('\n', i);
      i = end == std::string::npos ? source.size() : end;
    } else if (source.compare(i, 2, "\\\n") == 0) {
      ++i;
    } else if (!std::isspace(static_cast<unsigned char>(source[i]))) {
      out += source[i];
    }
  }
  return out;
}

bool exists(const std::string& path) { return std::ifstream(path).good(); }

std::string frozen_path(const char* root, int minor) {
  return std::string(root) + "/plugin-api/abi/plugin-" +
         std::to_string(PYHOOKS_ABI_MAJOR) + "." + std::to_string(minor) + ".h";
}

#ifndef PYHOOKS_ABI_MINOR_OPEN
TEST(AbiHeader, MatchesTheFrozenCopyOfItsDeclaredVersion) {
  const char* root = std::getenv("PYHOOKS_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "PYHOOKS_SOURCE_DIR is not set";
  std::string header =
      read(std::string(root) + "/plugin-api/include/pyhooks/plugin.h");
  std::string version = std::to_string(PYHOOKS_ABI_MAJOR) + "." +
                        std::to_string(PYHOOKS_ABI_MINOR);
  std::string frozen = read(frozen_path(root, PYHOOKS_ABI_MINOR));
  ASSERT_FALSE(header.empty());
  ASSERT_FALSE(frozen.empty())
      << "no frozen copy " << frozen_path(root, PYHOOKS_ABI_MINOR)
      << " for ABI " << version
      << ": copy plugin.h there when releasing this ABI version";
  EXPECT_EQ(normalized(header), normalized(frozen))
      << "plugin.h differs from the frozen ABI " << version
      << " header: a change to the ABI needs PYHOOKS_ABI_MINOR bumped (append"
         " only) and a new frozen copy; see docs/internals/plugin-abi.md";
}
#else
// The newest minor is open (PYHOOKS_ABI_MINOR_OPEN): its text may change, so
// only the layout test (abi_layout_test.cc) holds it to the frozen minors.
// Freezing it means copying the header and deleting the macro.
TEST(AbiHeader, AnOpenMinorIsNotFrozenYetAndItsPredecessorIs) {
  const char* root = std::getenv("PYHOOKS_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "PYHOOKS_SOURCE_DIR is not set";
  EXPECT_FALSE(exists(frozen_path(root, PYHOOKS_ABI_MINOR)))
      << frozen_path(root, PYHOOKS_ABI_MINOR)
      << " exists, so this minor is frozen: remove PYHOOKS_ABI_MINOR_OPEN";
}
#endif

// Every minor before the header's own stays frozen beside it.
TEST(AbiHeader, EveryOlderMinorHasItsFrozenCopy) {
  const char* root = std::getenv("PYHOOKS_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "PYHOOKS_SOURCE_DIR is not set";
  for (int minor = 0; minor < PYHOOKS_ABI_MINOR; ++minor) {
    EXPECT_FALSE(read(frozen_path(root, minor)).empty())
        << "ABI " << PYHOOKS_ABI_MAJOR << "." << minor << " has no frozen copy "
        << frozen_path(root, minor);
  }
}

TEST(AbiHeader, NormalizationIgnoresOnlyCommentsAndSpace) {
  EXPECT_EQ(normalized("int  a; /* c */ // d\nint b;"), "inta;intb;");
  EXPECT_NE(normalized("int a;"), normalized("long a;"));
}

}  // namespace
