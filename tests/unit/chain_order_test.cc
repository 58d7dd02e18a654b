// tests/unit/chain_order_test.cc - the ordering rules of DESIGN section 4.
#include "loader/chain_order.h"

#include <gtest/gtest.h>

namespace pyhooks {
namespace {

std::vector<std::string> names(const std::vector<ChainCandidate>& candidates,
                               const ChainPlan& plan) {
  std::vector<std::string> out;
  for (const auto& entry : plan.chain) {
    out.push_back(candidates[entry.candidate].name);
  }
  return out;
}

TEST(ChainOrder, HigherPriorityIsOuterAndTiesGoByName) {
  std::vector<ChainCandidate> candidates = {
      {"tracer", 500, false, false},
      {"profiler", 800, true, false},
      {"alpha", 500, false, false},
      {"jit", 100, false, true},
  };
  auto plan = plan_chain(candidates, std::nullopt);
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(names(candidates, *plan),
            (std::vector<std::string>{"profiler", "alpha", "tracer", "jit"}));
  EXPECT_EQ(plan->chain[0].reason, "priority 800 (configured)");
  EXPECT_EQ(plan->chain[1].reason, "priority 500 (default)");
  EXPECT_TRUE(plan->warnings.empty());
}

TEST(ChainOrder, ExplicitOrderWithStarPlacesTheRestByPriority) {
  std::vector<ChainCandidate> candidates = {
      {"a", 100, false, false},
      {"b", 900, false, false},
      {"c", 500, false, false},
      {"d", 700, false, false},
  };
  auto plan = plan_chain(candidates, std::vector<std::string>{"c", "*", "a"});
  ASSERT_TRUE(plan.ok()) << plan.error();
  EXPECT_EQ(names(candidates, *plan),
            (std::vector<std::string>{"c", "b", "d", "a"}));
  EXPECT_EQ(plan->chain[0].reason, "position 1 in order");
  EXPECT_EQ(plan->chain[1].reason, "\"*\" in order, priority 900 (default)");
  EXPECT_EQ(plan->chain[3].reason, "position 2 in order");
}

TEST(ChainOrder, WithoutStarUnlistedPluginsStayInactiveWithAWarning) {
  std::vector<ChainCandidate> candidates = {{"a", 100, false, false},
                                            {"b", 900, false, false}};
  auto plan = plan_chain(candidates, std::vector<std::string>{"a"});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(names(candidates, *plan), (std::vector<std::string>{"a"}));
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_NE(plan->warnings[0].find("'b' is selected but not in order"),
            std::string::npos);
}

TEST(ChainOrder, DuplicateSelectionKeepsTheFirstWithAWarning) {
  std::vector<ChainCandidate> candidates = {{"p", 100, true, false},
                                            {"p", 900, true, false}};
  auto plan = plan_chain(candidates, std::nullopt);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->chain.size(), 1u);
  EXPECT_EQ(plan->chain[0].candidate, 0u);
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_NE(plan->warnings[0].find("'p' is selected twice"), std::string::npos);
}

TEST(ChainOrder, SecondExclusiveEvaluatorIsRefusedNamingBoth) {
  std::vector<ChainCandidate> candidates = {{"jit_a", 300, false, true},
                                            {"jit_b", 600, false, true},
                                            {"obs", 500, false, false}};
  auto plan = plan_chain(candidates, std::nullopt);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(names(candidates, *plan),
            (std::vector<std::string>{"jit_b", "obs"}));
  ASSERT_EQ(plan->refused.size(), 1u);
  EXPECT_EQ(plan->refused[0].candidate, 0u);
  EXPECT_EQ(plan->refused[0].message,
            "plugin 'jit_a' is an exclusive evaluator, and so is 'jit_b', "
            "which comes first; 'jit_a' is not activated");
}

TEST(ChainOrder, BadOrderListsAreErrors) {
  std::vector<ChainCandidate> candidates = {{"a", 1, false, false}};
  auto unknown = plan_chain(candidates, std::vector<std::string>{"zz"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(),
            "order names 'zz', which is not a selected plugin (selected: a)");
  EXPECT_FALSE(plan_chain(candidates, std::vector<std::string>{"a", "a"}).ok());
  EXPECT_FALSE(plan_chain(candidates, std::vector<std::string>{"*", "*"}).ok());
}

}  // namespace
}  // namespace pyhooks
