// plugins/profiler/profile_merge.h - one view over several threads'
// measurements: per-function and per-edge sums and one call tree, which the
// output writers (pstats, collapsed stacks, SVG, summary) read.
#pragma once

#include <cstdint>
#include <vector>

#include "thread_profile.h"

namespace profiler {

struct MergedFunction {
  uint64_t calls = 0;
  uint64_t recursive_calls = 0;
  uint64_t own_ns = 0;
  uint64_t cum_ns = 0;
};

struct MergedEdge {
  uint32_t caller;
  uint32_t callee;
  uint64_t calls;
  uint64_t recursive_calls;
  uint64_t own_ns;
  uint64_t cum_ns;
};

struct MergedNode {
  uint32_t fid;    // kNone for the root and for thread roots
  int32_t thread;  // thread ordinal for a thread root, else -1
  uint32_t parent;
  uint64_t own_ns;
  uint64_t total_ns;  // own + descendants
  uint64_t calls;
  std::vector<uint32_t> children;
};

struct MergedProfile {
  std::vector<MergedFunction> funcs;  // indexed by fid
  std::vector<MergedEdge> edges;
  std::vector<MergedNode> nodes;  // nodes[0] is the root
  uint64_t total_ns = 0;          // sum of own times
  uint64_t calls = 0;
  uint64_t primitive_calls = 0;
  uint64_t functions_called = 0;
};

// One thread's own-time total (in ticks) and call count.
struct ThreadTotals {
  uint64_t own_ticks = 0;
  uint64_t calls = 0;
};
ThreadTotals thread_totals(const ThreadProfile& thread);

// Merges `threads`, deriving function and edge figures from their call-tree
// nodes (see thread_profile.h for the rules). With `thread_roots`, each
// thread's call tree hangs below its own root node (MergedNode::thread) instead
// of being merged by path.
// Threads record clock ticks; the merged view is in nanoseconds.
MergedProfile merge_threads(const std::vector<const ThreadProfile*>& threads,
                            size_t function_count, bool thread_roots,
                            double ns_per_tick);

}  // namespace profiler
