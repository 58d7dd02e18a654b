// tests/unit/plugin_options_test.cc - option text conversion and messages.
#include "loader/plugin_options.h"

#include <gtest/gtest.h>

namespace pyhooks {
namespace {

PluginDescriptor profiler_like() {
  PluginDescriptor plugin;
  plugin.name = "prof";
  plugin.options = {{"output", PYHOOKS_OPTION_STRING, "", ""},
                    {"summary", PYHOOKS_OPTION_INT, "20", ""},
                    {"ratio", PYHOOKS_OPTION_FLOAT, "", ""},
                    {"quiet", PYHOOKS_OPTION_BOOL, "false", ""},
                    {"include", PYHOOKS_OPTION_STRING_LIST, "", ""}};
  return plugin;
}

TEST(PluginOptions, TextConvertsToTheDeclaredType) {
  PluginDescriptor plugin = profiler_like();
  auto number = option_from_text(plugin, plugin.options[1], "15");
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->integer, 15);
  auto ratio = option_from_text(plugin, plugin.options[2], "0.25");
  ASSERT_TRUE(ratio.ok());
  EXPECT_DOUBLE_EQ(ratio->number, 0.25);
  auto flag = option_from_text(plugin, plugin.options[3], "yes");
  ASSERT_TRUE(flag.ok());
  EXPECT_TRUE(flag->boolean);
  auto list = option_from_text(plugin, plugin.options[4], "app.*,lib,,x");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->items, (std::vector<std::string>{"app.*", "lib", "x"}));
  EXPECT_EQ(list->display(), "[\"app.*\", \"lib\", \"x\"]");
}

TEST(PluginOptions, WrongTextNamesPluginOptionAndType) {
  PluginDescriptor plugin = profiler_like();
  auto number = option_from_text(plugin, plugin.options[1], "many");
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error(),
            "plugin 'prof': option 'summary' must be an int (got 'many')");
  auto flag = option_from_text(plugin, plugin.options[3], "perhaps");
  ASSERT_FALSE(flag.ok());
  EXPECT_EQ(flag.error(),
            "plugin 'prof': option 'quiet' must be a bool (got 'perhaps')");
}

TEST(PluginOptions, UnknownOptionListsTheDeclaredOnes) {
  PluginDescriptor plugin = profiler_like();
  auto missing = declared_option(plugin, "outptu");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(),
            "plugin 'prof' has no option 'outptu'; did you mean 'output'? (it "
            "takes: output, summary, ratio, quiet, include)");
  EXPECT_EQ(declared_option(plugin, "zzz").error(),
            "plugin 'prof' has no option 'zzz' (it takes: output, summary, "
            "ratio, quiet, include)");
  PluginDescriptor bare;
  bare.name = "bare";
  EXPECT_EQ(declared_option(bare, "x").error(),
            "plugin 'bare' has no option 'x' (it takes no options)");
}

TEST(PluginOptions, TextWithNulIsRefusedNotCutShort) {
  PluginDescriptor plugin = profiler_like();
  std::string text("run\0.prof", 9);
  std::string expected =
      "plugin 'prof': option 'output' contains a NUL character, which a "
      "plugin cannot receive (it would read the text cut short); remove it";
  auto from_text = option_from_text(plugin, plugin.options[0], text);
  ASSERT_FALSE(from_text.ok());
  EXPECT_EQ(from_text.error(), expected);
  auto number =
      option_from_text(plugin, plugin.options[1], std::string("1\0", 2));
  ASSERT_FALSE(number.ok());
  EXPECT_NE(number.error().find("contains a NUL character"), std::string::npos);
  auto list = without_nul(plugin, plugin.options[4],
                          OptionValue::of_list({"a", std::string("b\0c", 3)}));
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().find("option 'include' contains a NUL"),
            std::string::npos);
  EXPECT_TRUE(
      without_nul(plugin, plugin.options[0], OptionValue::of_string("run.prof"))
          .ok());
}

}  // namespace
}  // namespace pyhooks
