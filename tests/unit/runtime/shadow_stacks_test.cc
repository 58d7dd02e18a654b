// tests/unit/runtime/shadow_stacks_test.cc - the sys.monitoring source's
// per-thread records, without Python (shadow_stacks.h).
#include "runtime/shadow_stacks.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace pyhooks {
namespace {

PyThreadState* thread(uintptr_t n) {
  return reinterpret_cast<PyThreadState*>(n * 64);
}
phc_frame* frame(uintptr_t n) { return reinterpret_cast<phc_frame*>(n * 16); }

TEST(ShadowStack, GrowsPastItsFirstStorageAndKeepsEveryRecord) {
  ShadowStack stack;
  EXPECT_TRUE(stack.empty());
  for (uintptr_t i = 1; i <= 1000; ++i) {
    stack.push_back({frame(i), nullptr, i, nullptr});
  }
  ASSERT_EQ(stack.size(), 1000u);
  for (uintptr_t i = 1000; i >= 1; --i) {
    ASSERT_EQ(stack.back().frame, frame(i));
    ASSERT_EQ(stack.back().owed, i);
    stack.pop_back();
  }
  EXPECT_TRUE(stack.empty());
  stack.push_back({frame(5), nullptr, 1, nullptr});  // reuses the storage
  EXPECT_EQ(stack[0].frame, frame(5));
}

TEST(ShadowStacks, OneRecordSetPerThreadWhicheverWasLast) {
  ShadowStacks stacks;
  ThreadShadow& a = stacks.of(thread(1));
  a.open.push_back({frame(1), nullptr, 1, nullptr});
  ThreadShadow& b = stacks.of(thread(2));
  EXPECT_NE(&a, &b);
  EXPECT_TRUE(b.open.empty());
  EXPECT_EQ(&stacks.of(thread(1)), &a);  // back to the first: same records
  EXPECT_EQ(stacks.of(thread(1)).open.size(), 1u);
  EXPECT_EQ(&stacks.of(thread(2)), &b);
}

TEST(ShadowStacks, CollectsTheChainsOfOpenAndAnnouncedRecords) {
  Chain old_chain, announced_chain, unused_chain;
  ShadowStacks stacks;
  stacks.of(thread(1)).open.push_back({frame(1), &old_chain, 1, nullptr});
  stacks.of(thread(2)).announced.push_back(
      {frame(2), &announced_chain, 1, nullptr});
  std::vector<const Chain*> chains;
  stacks.collect_chains(chains);
  std::sort(chains.begin(), chains.end());
  std::vector<const Chain*> expected = {&old_chain, &announced_chain};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(chains, expected);
  EXPECT_EQ(std::find(chains.begin(), chains.end(), &unused_chain),
            chains.end());
}

TEST(ShadowStacks, KeepOnlyAndClearForgetTheOtherThreads) {
  Chain chain;
  ShadowStacks stacks;
  stacks.of(thread(1)).open.push_back({frame(1), &chain, 1, nullptr});
  stacks.of(thread(2)).open.push_back({frame(2), &chain, 1, nullptr});
  stacks.keep_only(thread(2));  // the forked child's thread
  EXPECT_TRUE(stacks.of(thread(1)).open.empty());
  ASSERT_EQ(stacks.of(thread(2)).open.size(), 1u);
  EXPECT_EQ(stacks.of(thread(2)).open[0].frame, frame(2));
  stacks.clear();
  EXPECT_TRUE(stacks.of(thread(2)).open.empty());
  std::vector<const Chain*> chains;
  stacks.collect_chains(chains);
  EXPECT_TRUE(chains.empty());
}

}  // namespace
}  // namespace pyhooks
