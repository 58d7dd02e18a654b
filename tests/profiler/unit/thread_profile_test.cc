// tests/profiler/unit/thread_profile_test.cc - the profiler's accounting
// rules with synthetic timestamps: own and cumulative time, cProfile's
// recursion rules for functions and edges, generator resumes, overhead
// subtraction, unmatched exits, the path budget and fork resets.
#include <gtest/gtest.h>

#include <vector>

#include "profile_merge.h"
#include "thread_profile.h"

namespace profiler {
namespace {

// Stand-ins for code objects: only their addresses matter.
const char kCodes[8] = {};
const void* code(uint32_t fid) { return &kCodes[fid]; }

constexpr uint32_t kFunctions = 8;

MergedProfile merged(const ThreadProfile& thread, bool roots = false) {
  std::vector<const ThreadProfile*> threads{&thread};
  return merge_threads(threads, kFunctions, roots, 1.0);
}

const MergedEdge* edge(const MergedProfile& profile, uint32_t caller,
                       uint32_t callee) {
  for (const MergedEdge& e : profile.edges) {
    if (e.caller == caller && e.callee == callee) return &e;
  }
  return nullptr;
}

// A small driver: enter/exit with explicit times.
struct Script {
  ThreadProfile thread;
  explicit Script(uint64_t overhead = 0, uint32_t max_nodes = 1u << 20,
                  uint32_t ordinal = 1)
      : thread(ordinal, ordinal, overhead, max_nodes) {}
  void start(uint64_t at, uint32_t fid) {
    thread.enter(at, fid, code(fid), true);
  }
  void resume(uint64_t at, uint32_t fid) {
    thread.enter(at, fid, code(fid), false);
  }
  void leave(uint64_t at, uint32_t fid) {
    ASSERT_TRUE(thread.exit(at, code(fid)));
  }
};

TEST(ThreadProfile, OwnAndCumulativeTime) {
  Script s;
  s.start(0, 1);
  s.start(10, 2);
  s.leave(30, 2);
  s.start(35, 2);
  s.leave(40, 2);
  s.leave(50, 1);
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[1].calls, 1u);
  EXPECT_EQ(p.funcs[1].own_ns, 25u);
  EXPECT_EQ(p.funcs[1].cum_ns, 50u);
  EXPECT_EQ(p.funcs[2].calls, 2u);
  EXPECT_EQ(p.funcs[2].own_ns, 25u);
  EXPECT_EQ(p.funcs[2].cum_ns, 25u);
  const MergedEdge* e = edge(p, 1, 2);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->calls, 2u);
  EXPECT_EQ(e->cum_ns, 25u);
  EXPECT_EQ(p.total_ns, 50u);
  EXPECT_EQ(edge(p, 2, 1), nullptr);
}

TEST(ThreadProfile, OverheadIsSubtractedOncePerEventInside) {
  Script s(/*overhead=*/5);
  s.start(0, 1);   // event 1
  s.start(10, 2);  // event 2
  s.leave(30, 2);  // event 3: fid 2 spans 1 event gap -> 20 - 5
  s.leave(50, 1);  // event 4: fid 1 spans 3 gaps -> 50 - 15
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[2].cum_ns, 15u);
  EXPECT_EQ(p.funcs[1].cum_ns, 35u);
  EXPECT_EQ(p.funcs[1].own_ns, 20u);
}

TEST(ThreadProfile, OverheadNeverDrivesTimesBelowZero) {
  Script s(/*overhead=*/1000);
  s.start(0, 1);
  s.start(10, 2);
  s.leave(30, 2);
  s.leave(50, 1);
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[1].own_ns, 0u);
  EXPECT_EQ(p.funcs[1].cum_ns, 0u);
  EXPECT_EQ(p.funcs[2].cum_ns, 0u);
}

TEST(ThreadProfile, DirectRecursionFollowsCProfile) {
  // main(0) -> rec -> rec -> rec, each level 10 of own time.
  Script s;
  s.start(0, 1);
  s.start(0, 2);
  s.start(10, 2);
  s.start(20, 2);
  s.leave(30, 2);
  s.leave(40, 2);
  s.leave(50, 2);
  s.leave(50, 1);
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[2].calls, 3u);
  EXPECT_EQ(p.funcs[2].recursive_calls, 2u);
  EXPECT_EQ(p.funcs[2].cum_ns, 50u);  // outermost only
  EXPECT_EQ(p.funcs[2].own_ns, 50u);  // 10 + 20 + 20
  const MergedEdge* self = edge(p, 2, 2);
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->calls, 2u);
  EXPECT_EQ(self->recursive_calls, 1u);  // the first rec->rec is primitive
  EXPECT_EQ(self->cum_ns, 30u);          // outermost rec->rec activation
  EXPECT_EQ(edge(p, 1, 2)->calls, 1u);
  EXPECT_EQ(edge(p, 1, 2)->recursive_calls, 0u);
}

TEST(ThreadProfile, MutualRecursionEdges) {
  // a -> b -> a -> b
  Script s;
  s.start(0, 1);
  s.start(1, 2);
  s.start(2, 1);
  s.start(3, 2);
  s.leave(4, 2);
  s.leave(5, 1);
  s.leave(6, 2);
  s.leave(7, 1);
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[1].calls, 2u);
  EXPECT_EQ(p.funcs[1].recursive_calls, 1u);
  EXPECT_EQ(p.funcs[2].recursive_calls, 1u);
  EXPECT_EQ(edge(p, 1, 2)->calls, 2u);
  EXPECT_EQ(edge(p, 1, 2)->recursive_calls, 1u);
  EXPECT_EQ(edge(p, 2, 1)->calls, 1u);
  EXPECT_EQ(edge(p, 2, 1)->recursive_calls, 0u);
  EXPECT_EQ(p.funcs[1].cum_ns, 7u);
  EXPECT_EQ(p.funcs[2].cum_ns, 5u);
}

TEST(ThreadProfile, GeneratorResumesAreOneCall) {
  // consumer(1) resumes generator(2) three times.
  Script s;
  s.start(0, 1);
  s.start(10, 2);
  s.leave(15, 2);  // yield
  s.resume(20, 2);
  s.leave(30, 2);  // yield
  s.resume(40, 2);
  s.leave(60, 2);  // return
  s.leave(70, 1);
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[2].calls, 1u);
  EXPECT_EQ(p.funcs[2].recursive_calls, 0u);
  EXPECT_EQ(p.funcs[2].own_ns, 35u);
  EXPECT_EQ(p.funcs[2].cum_ns, 35u);
  EXPECT_EQ(edge(p, 1, 2)->calls, 1u);
  EXPECT_EQ(edge(p, 1, 2)->own_ns, 35u);
  EXPECT_EQ(p.funcs[1].own_ns, 35u);
}

TEST(ThreadProfile, UnmatchedExitsAreIgnoredOrRecovered) {
  Script s;
  s.start(0, 1);
  s.start(10, 2);
  EXPECT_FALSE(s.thread.exit(20, code(5)));  // never entered: ignored
  EXPECT_EQ(s.thread.unmatched(), 1u);
  EXPECT_TRUE(s.thread.exit(30, code(1)));  // below the top: 2 closed too
  EXPECT_EQ(s.thread.unmatched(), 2u);
  EXPECT_EQ(s.thread.depth(), 0u);
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[1].cum_ns, 30u);
  EXPECT_EQ(p.funcs[2].cum_ns, 20u);
}

TEST(ThreadProfile, PathBudgetKeepsFunctionFiguresExact) {
  auto play = [](Script& s) {
    uint64_t t = 0;
    for (int round = 0; round < 3; ++round) {
      s.start(t += 1, 1);
      for (uint32_t fid = 2; fid < 6; ++fid) {
        s.start(t += 1, fid);
        s.start(t += 2, fid);  // direct recursion
        s.start(t += 3, 7);
        s.leave(t += 4, 7);
        s.leave(t += 5, fid);
        s.leave(t += 6, fid);
      }
      s.leave(t += 1, 1);
    }
  };
  Script full;
  Script tiny(0, /*max_nodes=*/3);
  play(full);
  play(tiny);
  EXPECT_GT(tiny.thread.flat_entries(), 0u);
  MergedProfile a = merged(full.thread);
  MergedProfile b = merged(tiny.thread);
  for (uint32_t fid = 0; fid < kFunctions; ++fid) {
    EXPECT_EQ(a.funcs[fid].calls, b.funcs[fid].calls) << fid;
    EXPECT_EQ(a.funcs[fid].recursive_calls, b.funcs[fid].recursive_calls);
    EXPECT_EQ(a.funcs[fid].own_ns, b.funcs[fid].own_ns) << fid;
    EXPECT_EQ(a.funcs[fid].cum_ns, b.funcs[fid].cum_ns) << fid;
  }
  ASSERT_EQ(a.edges.size(), b.edges.size());
  for (const MergedEdge& e : a.edges) {
    const MergedEdge* f = edge(b, e.caller, e.callee);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(e.calls, f->calls);
    EXPECT_EQ(e.recursive_calls, f->recursive_calls);
    EXPECT_EQ(e.cum_ns, f->cum_ns);
  }
  EXPECT_EQ(a.total_ns, b.total_ns);
  EXPECT_LE(tiny.thread.nodes().size(), 20u);
}

TEST(ThreadProfile, MemoryDoesNotGrowWithCalls) {
  Script s;
  uint64_t t = 0;
  s.start(t, 1);
  for (int i = 0; i < 1000; ++i) {
    s.start(t += 1, 2);
    s.leave(t += 1, 2);
  }
  size_t nodes = s.thread.nodes().size();
  for (int i = 0; i < 100000; ++i) {
    s.start(t += 1, 2);
    s.leave(t += 1, 2);
  }
  EXPECT_EQ(s.thread.nodes().size(), nodes);
  s.leave(t += 1, 1);
  EXPECT_EQ(merged(s.thread).funcs[2].calls, 101000u);
}

TEST(ThreadProfile, ForkResetKeepsOpenActivations) {
  Script s;
  s.start(0, 1);
  s.start(10, 2);
  s.leave(20, 2);
  s.thread.reset_after_fork(100);
  s.start(110, 3);
  s.leave(130, 3);
  s.leave(150, 1);  // the exit of a frame entered before the fork
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[2].calls, 0u);
  EXPECT_EQ(p.funcs[2].cum_ns, 0u);
  EXPECT_EQ(p.funcs[1].calls, 0u);  // started in the parent
  EXPECT_EQ(p.funcs[1].cum_ns, 50u);
  EXPECT_EQ(p.funcs[1].own_ns, 30u);
  EXPECT_EQ(p.funcs[3].calls, 1u);
}

TEST(ThreadProfile, CloseAllChargesOpenActivations) {
  Script s;
  s.start(0, 1);
  s.start(10, 2);
  s.thread.close_all(40);
  MergedProfile p = merged(s.thread);
  EXPECT_EQ(p.funcs[1].cum_ns, 40u);
  EXPECT_EQ(p.funcs[2].cum_ns, 30u);
  EXPECT_EQ(s.thread.depth(), 0u);
}

TEST(ProfileMerge, ThreadsAddUpAndThreadRootsSeparate) {
  Script a;
  Script b(0, 1u << 20, /*ordinal=*/2);
  a.start(0, 1);
  a.leave(10, 1);
  b.start(0, 1);
  b.leave(30, 1);
  std::vector<const ThreadProfile*> both{&a.thread, &b.thread};
  MergedProfile p = merge_threads(both, kFunctions, false, 1.0);
  EXPECT_EQ(p.funcs[1].calls, 2u);
  EXPECT_EQ(p.funcs[1].cum_ns, 40u);
  EXPECT_EQ(p.nodes[0].children.size(), 1u);  // merged by path
  MergedProfile rooted = merge_threads(both, kFunctions, true, 1.0);
  EXPECT_EQ(rooted.nodes[0].children.size(), 2u);  // one root per thread
  EXPECT_EQ(rooted.nodes[0].total_ns, 40u);
}

TEST(ProfileMerge, TicksAreConvertedToNanoseconds) {
  Script s;
  s.start(0, 1);
  s.leave(1000, 1);
  std::vector<const ThreadProfile*> one{&s.thread};
  MergedProfile p = merge_threads(one, kFunctions, false, 0.5);
  EXPECT_EQ(p.funcs[1].cum_ns, 500u);
}

}  // namespace
}  // namespace profiler
