// tests/unit/runtime/code_states_test.cc - per-code storage over one
// co_extra index, without Python (code_states.h; CPython's co_extra is the
// fake in fake_cpython.cc).
#include "runtime/code_states.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "fake_cpython.h"
#include "test_plugins.h"

namespace pyhooks {
namespace {

constexpr uint32_t kObserver = PYHOOKS_ROLE_OBSERVER;

std::string freed(const char* plugin, PyObject* code) {
  char key[32];
  std::snprintf(key, sizeof key, "%p", static_cast<const void*>(code));
  return std::string(plugin) + "@" + key;
}

class CodeStatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_cpython::reset();
    testing::code_frees().clear();
  }
  // Every test ends as an interpreter does: plugins gone, then the host,
  // then the code objects that outlive it.
  void finish(CodeStates* states, std::initializer_list<PyObject*> codes) {
    states->detach();
    for (PyObject* code : codes) fake_cpython::code_dies(code);
  }
  void touch(CodeStates* states, CodeState* state, PluginInstance* plugin) {
    SlotEntry* entry = states->entry(state, plugin->index());
    ASSERT_NE(entry, nullptr);
    entry->flags |= SlotEntry::kTouched;  // what api_code_slot does
  }
  testing::TestPlugins made;
};

TEST_F(CodeStatesTest, RefusesClearlyWhenCPythonHasNoIndexLeft) {
  fake_cpython::exhaust_extra_indices(true);
  EXPECT_EQ(CodeStates::create(false), nullptr);
  EXPECT_NE(fake_cpython::pending_error().find("no co_extra index left"),
            std::string::npos);
}

TEST_F(CodeStatesTest, OneStatePerCodeWithZeroedAlignedEntries) {
  CodeStates* states = CodeStates::create(false);
  ASSERT_NE(states, nullptr);
  PluginInstance* small = made.add("small", kObserver, 0, 3);
  PluginInstance* big = made.add("big", kObserver, 0, 40);
  states->add_plugin(small, 3);
  states->add_plugin(big, 40);
  PyObject* code = fake_cpython::new_code();
  CodeState* state = states->get(code);
  ASSERT_NE(state, nullptr);
  EXPECT_EQ(states->get(code), state);
  EXPECT_EQ(state->code_key, code);
  SlotEntry* first = states->entry(state, small->index());
  SlotEntry* second = states->entry(state, big->index());
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first->data()) % 16, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(second->data()) % 16, 0u);
  EXPECT_GE(reinterpret_cast<char*>(second),
            static_cast<char*>(first->data()) + 3);  // no overlap
  auto* bytes = static_cast<unsigned char*>(second->data());
  for (int i = 0; i < 40; ++i) ASSERT_EQ(bytes[i], 0) << i;
  EXPECT_EQ(first->slot, nullptr);
  finish(states, {code});
}

// ABI 1.2's frame->code_data: the pointer dispatch computes from the
// plugin's recorded entry offset is code_data's, in a first block and in an
// overflow block, and handing it over marks the entry touched.
TEST_F(CodeStatesTest, FrameDataIsTheEntrysDataAndTouchesIt) {
  CodeStates* states = CodeStates::create(false);
  PluginInstance* none =
      made.add("none", kObserver, 0, 0, PYHOOKS_CAP_FRAME_CODE_DATA);
  PluginInstance* small =
      made.add("small", kObserver, 0, 8, PYHOOKS_CAP_FRAME_CODE_DATA);
  PluginInstance* unasked = made.add("unasked", kObserver, 0, 8);
  states->add_plugin(none, 0);
  states->add_plugin(small, 8);
  states->add_plugin(unasked, 8);
  EXPECT_EQ(none->frame_data_entry(), 0u);     // no bytes: never filled
  EXPECT_EQ(unasked->frame_data_entry(), 0u);  // bytes, but not asked for
  ASSERT_NE(small->frame_data_entry(), 0u);
  PyObject* code = fake_cpython::new_code();
  CodeState* state = states->get(code);
  ASSERT_NE(state, nullptr);
  SlotEntry* entry = states->entry(state, small->index());
  ASSERT_NE(entry, nullptr);
  EXPECT_FALSE(entry->flags & SlotEntry::kTouched);
  EXPECT_EQ(
      states->frame_data(state, small->index(), small->frame_data_entry()),
      entry->data());
  EXPECT_TRUE(entry->flags & SlotEntry::kTouched);
  // A plugin added after the state was made: its entry is in an overflow
  // block, which frame_data reaches as entry() does.
  PluginInstance* late =
      made.add("late", kObserver, 0, 24, PYHOOKS_CAP_FRAME_CODE_DATA);
  states->add_plugin(late, 24);
  void* late_data =
      states->frame_data(state, late->index(), late->frame_data_entry());
  ASSERT_NE(late_data, nullptr);
  EXPECT_EQ(late_data, states->entry(state, late->index())->data());
  EXPECT_EQ(
      states->frame_data(nullptr, late->index(), late->frame_data_entry()),
      nullptr);  // no state (out of memory): NULL
  finish(states, {code});
}

TEST_F(CodeStatesTest, APluginLoadedLaterGetsAStableOverflowEntry) {
  CodeStates* states = CodeStates::create(false);
  PluginInstance* early = made.add("early", kObserver);
  states->add_plugin(early, 0);
  PyObject* code = fake_cpython::new_code();
  CodeState* state = states->get(code);
  SlotEntry* early_entry = states->entry(state, early->index());
  EXPECT_EQ(states->entry(state, 1), nullptr);  // not declared yet

  PluginInstance* late = made.add("late", kObserver, 0, 24);
  states->add_plugin(late, 24);
  SlotEntry* late_entry = states->entry(state, late->index());
  ASSERT_NE(late_entry, nullptr);
  EXPECT_EQ(states->entry(state, late->index()), late_entry);
  EXPECT_EQ(states->entry(state, early->index()), early_entry);  // unmoved
  EXPECT_NE(state->block.next, nullptr);
  finish(states, {code});
}

TEST_F(CodeStatesTest, ADyingCodeFreesTouchedEntriesInReverseChainOrder) {
  CodeStates* states = CodeStates::create(false);
  PluginInstance* outer = made.add("outer", kObserver);
  PluginInstance* middle = made.add("middle", kObserver);
  PluginInstance* inner = made.add("inner", kObserver);
  for (PluginInstance* plugin : made.all()) states->add_plugin(plugin, 0);
  states->set_free_order({inner, middle, outer});
  PyObject* code = fake_cpython::new_code();
  CodeState* state = states->get(code);
  touch(states, state, outer);
  touch(states, state, inner);  // middle never stored anything here

  fake_cpython::code_dies(code);
  EXPECT_EQ(
      testing::code_frees(),
      (std::vector<std::string>{freed("inner", code), freed("outer", code)}));
  finish(states, {});
}

TEST_F(CodeStatesTest, ALeavingPluginFreesItsDataInEveryLiveCodeOnce) {
  CodeStates* states = CodeStates::create(false);
  PluginInstance* profiler = made.add("profiler", kObserver);
  PluginInstance* tracer = made.add("tracer", kObserver);
  states->add_plugin(profiler, 0);
  states->add_plugin(tracer, 0);
  states->set_free_order({tracer, profiler});
  PyObject* a = fake_cpython::new_code();
  PyObject* b = fake_cpython::new_code();
  PyObject* untouched = fake_cpython::new_code();
  touch(states, states->get(a), profiler);
  touch(states, states->get(b), profiler);
  touch(states, states->get(b), tracer);
  states->get(untouched);

  states->release_plugin(profiler);
  EXPECT_EQ(testing::code_frees().size(), 2u);
  EXPECT_FALSE(states->entry(states->get(a), profiler->index())->flags &
               SlotEntry::kTouched);
  testing::code_frees().clear();
  fake_cpython::code_dies(a);
  fake_cpython::code_dies(b);  // only the tracer is still owed
  EXPECT_EQ(testing::code_frees(),
            (std::vector<std::string>{freed("tracer", b)}));
  finish(states, {untouched});
}

TEST_F(CodeStatesTest, ASubinterpreterKeepsSharedStaticCodeStateAside) {
  CodeStates* main_states = CodeStates::create(false);
  CodeStates* sub_states = CodeStates::create(true);
  PyObject* shared = fake_cpython::new_code();
  fake_cpython::set_static(shared);
  CodeState* in_main = main_states->get(shared);
  CodeState* in_sub = sub_states->get(shared);
  ASSERT_NE(in_sub, nullptr);
  EXPECT_NE(in_sub, in_main);
  EXPECT_EQ(in_sub->owner, sub_states);
  EXPECT_EQ(sub_states->get(shared), in_sub);
  finish(sub_states, {});  // its side states go with it
  finish(main_states, {shared});
}

TEST_F(CodeStatesTest, AnotherInterpretersStateInCoExtraIsNotTaken) {
  // Two interpreters holding the same index see each other's co_extra in a
  // code object they share: the second keeps its own state aside.
  fake_cpython::force_next_index(100);
  CodeStates* one = CodeStates::create(true);
  fake_cpython::force_next_index(100);
  CodeStates* two = CodeStates::create(true);
  PyObject* code = fake_cpython::new_code();
  CodeState* first = one->get(code);
  CodeState* second = two->get(code);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(first, second);
  EXPECT_EQ(second->owner, two);
  EXPECT_EQ(two->get(code), second);
  EXPECT_EQ(one->get(code), first);  // co_extra still holds the first's
  finish(two, {});
  finish(one, {code});
}

TEST_F(CodeStatesTest, AFailedCoExtraStoreGivesNullAndLeavesNoError) {
  CodeStates* states = CodeStates::create(false);
  PyObject* code = fake_cpython::new_code();
  fake_cpython::fail_next_set_extra();
  EXPECT_EQ(states->get(code), nullptr);
  EXPECT_EQ(fake_cpython::pending_error(), "");
  EXPECT_NE(states->get(code), nullptr);  // the next try succeeds
  finish(states, {code});
}

TEST_F(CodeStatesTest, AfterDetachDyingCodeFreesMemoryButCallsNoPlugin) {
  CodeStates* states = CodeStates::create(false);
  PluginInstance* profiler = made.add("profiler", kObserver);
  states->add_plugin(profiler, 0);
  states->set_free_order({profiler});
  PyObject* code = fake_cpython::new_code();
  touch(states, states->get(code), profiler);
  states->detach();               // the host is gone; the state is still alive
  fake_cpython::code_dies(code);  // frees it, and then `states` itself
  EXPECT_TRUE(testing::code_frees().empty());
}

}  // namespace
}  // namespace pyhooks
