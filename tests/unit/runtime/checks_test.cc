// tests/unit/runtime/checks_test.cc - the two tiers of invariant checks
// (host/runtime/checks.h).
#include "runtime/checks.h"

#include <gtest/gtest.h>

#include <memory>

#include "fake_cpython.h"
#include "runtime/chain_build.h"
#include "test_plugins.h"

namespace pyhooks {
namespace {

bool check_at_one_site(bool holds) {
  return PYHOOKS_CHECK(holds, "the test's invariant");
}

TEST(Checks, AlwaysOnCheckPassesQuietlyAndReportsABreachOncePerSite) {
  fake_cpython::reset();
  EXPECT_TRUE(check_at_one_site(true));
  EXPECT_TRUE(fake_cpython::reports().empty());
  EXPECT_FALSE(check_at_one_site(false));  // the caller recovers
  EXPECT_FALSE(check_at_one_site(false));
  ASSERT_EQ(fake_cpython::reports().size(), 1u);
  const std::string& line = fake_cpython::reports()[0];
  EXPECT_NE(line.find("internal check failed (the test's invariant: holds at "),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("checks_test.cc:"), std::string::npos) << line;
  EXPECT_NE(line.find("please report"), std::string::npos) << line;
}

TEST(Checks, ChainBuildLeavesObserversPastTheCapOutAndSaysSo) {
  fake_cpython::reset();
  testing::TestPlugins made;
  for (int i = 0; i < 65; ++i) {
    made.add("observer" + std::to_string(i), PYHOOKS_ROLE_OBSERVER);
  }
  BuiltChain built = build_chain(made.all(), nullptr, 1);
  EXPECT_EQ(built.chain->observers.size(), kMaxObservers);
  EXPECT_EQ(built.chain->every_observer, ~ObserverMask{0});
  ASSERT_EQ(fake_cpython::reports().size(), 1u);
  EXPECT_NE(fake_cpython::reports()[0].find("at most 64 observers"),
            std::string::npos);
}

TEST(ChecksDeathTest, DebugCheckStopsWithTheSite) {
  EXPECT_DEATH(PYHOOKS_DCHECK(1 + 1 == 3),
               "pyhooks: debug check failed: 1 \\+ 1 == 3 at .*checks_test.cc");
}

}  // namespace
}  // namespace pyhooks
