// tests/unit/runtime/chain_build_test.cc - a Chain snapshot from the plugin
// list, and retired snapshots freed, without Python (chain_build.h).
#include "runtime/chain_build.h"

#include <gtest/gtest.h>

#include "test_plugins.h"

namespace pyhooks {
namespace {

constexpr uint32_t kObserver = PYHOOKS_ROLE_OBSERVER;
constexpr uint32_t kEvaluator = PYHOOKS_ROLE_EVALUATOR;
constexpr uint32_t kStart = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START);
constexpr uint32_t kReturn = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_RETURN);

TEST(ChainBuild, KeepsActivePluginsInOrderAndSplitsRoles) {
  testing::TestPlugins made;
  PluginInstance* tracer = made.add("tracer", kObserver, kStart);
  PluginInstance* jit = made.add("jit", kEvaluator);
  PluginInstance* off = made.add("off", kObserver, kReturn);
  PluginInstance* both = made.add("both", kObserver | kEvaluator, kReturn);
  off->set_state(PluginState::kDisabled);

  BuiltChain built = build_chain(made.all(), nullptr, 7);
  const Chain& chain = *built.chain;
  EXPECT_EQ(chain.generation, 7u);
  EXPECT_EQ(chain.plugins, (std::vector<PluginInstance*>{tracer, jit, both}));
  EXPECT_EQ(chain.observers, (std::vector<PluginInstance*>{tracer, both}));
  EXPECT_EQ(chain.evaluators, (std::vector<PluginInstance*>{jit, both}));
  EXPECT_EQ(chain.observer_events, kStart | kReturn);  // not the disabled one
  EXPECT_FALSE(chain.empty());
}

TEST(ChainBuild, FillsTheLinksDispatchReads) {
  testing::TestPlugins made;
  PluginInstance* first = made.add("first", kObserver, kStart);
  PluginInstance* second = made.add("second", kObserver, kReturn);
  PluginInstance* jit = made.add("jit", kEvaluator);

  BuiltChain built = build_chain(made.all(), nullptr, 1);
  const Chain& chain = *built.chain;
  ASSERT_EQ(chain.observer_links.size(), 2u);
  EXPECT_EQ(chain.observer_links[0].plugin, first);
  // No per-code bytes declared: the frame's code_data is not filled for it.
  EXPECT_EQ(chain.observer_links[0].frame_data_entry, 0u);
  EXPECT_EQ(chain.observer_links[0].on_event, first->raw().on_event);
  EXPECT_EQ(chain.observer_links[1].events, kReturn);
  EXPECT_EQ(chain.observer_links[1].index, second->index());
  EXPECT_EQ(chain.every_observer, 0b11u);
  EXPECT_EQ(chain.sole_observer, nullptr);  // two observers: the mask loops
  ASSERT_EQ(chain.evaluator_links.size(), 1u);
  EXPECT_EQ(chain.evaluator_links[0].plugin, jit);
  EXPECT_EQ(chain.evaluator_links[0].evaluate, jit->raw().evaluate);

  second->set_state(PluginState::kFailed);
  BuiltChain alone = build_chain(made.all(), built.chain.get(), 2);
  ASSERT_NE(alone.chain->sole_observer, nullptr);
  EXPECT_EQ(alone.chain->sole_observer->plugin, first);
  EXPECT_EQ(alone.chain->every_observer, 0b1u);
}

TEST(ChainBuild, SaysWhenAnObserverJoined) {
  testing::TestPlugins made;
  PluginInstance* tracer = made.add("tracer", kObserver);
  PluginInstance* profiler = made.add("profiler", kObserver);
  made.add("jit", kEvaluator);
  profiler->set_state(PluginState::kDisabled);

  BuiltChain first = build_chain(made.all(), nullptr, 1);
  EXPECT_TRUE(first.observer_added);  // no previous chain
  BuiltChain same = build_chain(made.all(), first.chain.get(), 2);
  EXPECT_FALSE(same.observer_added);
  profiler->set_state(PluginState::kActive);
  BuiltChain joined = build_chain(made.all(), same.chain.get(), 3);
  EXPECT_TRUE(joined.observer_added);
  tracer->set_state(PluginState::kFailed);
  BuiltChain left = build_chain(made.all(), joined.chain.get(), 4);
  EXPECT_FALSE(left.observer_added);  // one left, none joined
}

TEST(ChainBuild, EmptyWithoutActivePlugins) {
  testing::TestPlugins made;
  made.add("declined", kObserver)->set_state(PluginState::kDeclined);
  BuiltChain built = build_chain(made.all(), nullptr, 1);
  EXPECT_TRUE(built.chain->empty());
  EXPECT_FALSE(built.observer_added);
  EXPECT_EQ(built.chain->sole_observer, nullptr);
  EXPECT_EQ(built.chain->every_observer, 0u);
}

TEST(ChainRelease, KeepsTheCurrentTheUsedAndTheOpen) {
  std::vector<std::unique_ptr<Chain>> chains;
  for (int i = 0; i < 5; ++i) chains.push_back(std::make_unique<Chain>());
  Chain* in_dispatch = chains[0].get();
  Chain* unused = chains[1].get();
  Chain* open = chains[2].get();
  Chain* current = chains[4].get();
  ChainUse use(in_dispatch);
  release_unused(chains, current, {open});
  std::vector<Chain*> kept;
  for (const auto& chain : chains) kept.push_back(chain.get());
  EXPECT_EQ(kept, (std::vector<Chain*>{in_dispatch, open, current}));
  EXPECT_EQ(std::find(kept.begin(), kept.end(), unused), kept.end());
}

TEST(ChainRelease, ADisableEnableLoopKeepsTheSnapshotsBounded) {
  testing::TestPlugins made;
  PluginInstance* tracer = made.add("tracer", kObserver);
  std::vector<std::unique_ptr<Chain>> chains;
  const Chain* current = nullptr;
  for (uint32_t generation = 1; generation <= 1000; ++generation) {
    tracer->set_state(generation % 2 ? PluginState::kActive
                                     : PluginState::kDisabled);
    release_unused(chains, current, {});
    chains.push_back(build_chain(made.all(), current, generation).chain);
    current = chains.back().get();
  }
  EXPECT_LE(chains.size(), 2u);
  EXPECT_EQ(current->generation, 1000u);
}

}  // namespace
}  // namespace pyhooks
