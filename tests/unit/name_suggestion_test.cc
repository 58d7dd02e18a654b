// tests/unit/name_suggestion_test.cc - "did you mean": typos find the
// intended name; names too far from every known one get no suggestion.
#include "loader/name_suggestion.h"

#include <gtest/gtest.h>

namespace pyhooks {
namespace {

const std::vector<std::string> kPlugins = {"profiler", "tracer", "native_names",
                                           "recorder"};

TEST(NameSuggestion, TyposFindTheName) {
  EXPECT_EQ(closest_name("profilr", kPlugins), "profiler");   // deletion
  EXPECT_EQ(closest_name("tarcer", kPlugins), "tracer");      // swap
  EXPECT_EQ(closest_name("Recorder", kPlugins), "recorder");  // case
  EXPECT_EQ(closest_name("native-names", kPlugins), "native_names");
  EXPECT_EQ(closest_name("prof", kPlugins), "profiler");  // a prefix
  EXPECT_EQ(closest_name("--confg", {"--config", "--python", "--plugin"}),
            "--config");
}

TEST(NameSuggestion, FarNamesGetNone) {
  EXPECT_EQ(closest_name("jit", kPlugins), "");
  EXPECT_EQ(closest_name("x", kPlugins), "");
  EXPECT_EQ(closest_name("colour", {"filename", "tag", "values"}), "");
  EXPECT_EQ(closest_name("tracer", {"tracer"}), "");  // not itself
  EXPECT_EQ(did_you_mean("jit", kPlugins), "");
  EXPECT_EQ(did_you_mean("tracr", kPlugins), "; did you mean 'tracer'?");
}

}  // namespace
}  // namespace pyhooks
