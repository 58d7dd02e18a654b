// plugins/profiler/profile_merge.cc - summing threads into one view (see
// profile_merge.h).
#include "profile_merge.h"

#include "support_names.h"

namespace profiler {

namespace {

uint32_t child_of(MergedProfile& merged, FlatMap& index, uint32_t parent,
                  uint32_t fid, int32_t thread) {
  uint64_t label =
      thread >= 0 ? (1ull << 31) + static_cast<uint32_t>(thread) : fid + 1ull;
  uint64_t key = (static_cast<uint64_t>(parent) << 32) | label;
  if (const uint32_t* found = index.find(key)) return *found;
  auto node = static_cast<uint32_t>(merged.nodes.size());
  merged.nodes.push_back(MergedNode{fid, thread, parent, 0, 0, 0, {}});
  merged.nodes[parent].children.push_back(node);
  index.insert(key, node);
  return node;
}

}  // namespace

ThreadTotals thread_totals(const ThreadProfile& thread) {
  ThreadTotals totals;
  for (const CallNode& node : thread.nodes()) {
    totals.own_ticks += node.own_ticks;
    totals.calls += node.calls;
  }
  return totals;
}

MergedProfile merge_threads(const std::vector<const ThreadProfile*>& threads,
                            size_t function_count, bool thread_roots,
                            double ns_per_tick) {
  auto ns = [ns_per_tick](uint64_t ticks) {
    return static_cast<uint64_t>(static_cast<double>(ticks) * ns_per_tick +
                                 0.5);
  };
  MergedProfile merged;
  merged.funcs.resize(function_count);
  merged.nodes.push_back(MergedNode{kNone, -1, 0, 0, 0, 0, {}});
  FlatMap edge_index;
  FlatMap node_index;

  for (const ThreadProfile* thread : threads) {
    const std::vector<CallNode>& nodes = thread->nodes();
    std::vector<uint32_t> mapped(nodes.size(), 0);
    mapped[0] = thread_roots ? child_of(merged, node_index, 0, kNone,
                                        static_cast<int32_t>(thread->ordinal()))
                             : 0;
    // Nodes are created parent first, so one pass maps the tree.
    for (size_t i = 1; i < nodes.size(); ++i) {
      const CallNode& node = nodes[i];
      const uint64_t own_ns = ns(node.own_ticks);
      const uint64_t total_ns = ns(node.total_ticks);
      mapped[i] =
          child_of(merged, node_index, mapped[node.parent], node.fid, -1);
      MergedNode& target = merged.nodes[mapped[i]];
      target.own_ns += own_ns;
      target.calls += node.calls;
      if (node.fid >= kOverflowFid) continue;
      // Paths that did nothing (after a fork reset) add no entries.
      if (node.calls == 0 && own_ns == 0 && total_ns == 0) continue;

      bool recursive = (node.flags & CallNode::kRecursive) != 0;
      MergedFunction& func = merged.funcs[node.fid];
      func.calls += node.calls;
      func.recursive_calls += recursive ? node.calls : 0;
      func.own_ns += own_ns;
      func.cum_ns += recursive ? 0 : total_ns;
      if (node.caller == kNone) continue;

      uint64_t key =
          (static_cast<uint64_t>(node.caller + 1ull) << 32) | (node.fid + 1ull);
      const uint32_t* found = edge_index.find(key);
      if (found == nullptr) {
        edge_index.insert(key, static_cast<uint32_t>(merged.edges.size()));
        merged.edges.push_back(MergedEdge{node.caller, node.fid, 0, 0, 0, 0});
        found = edge_index.find(key);
      }
      bool edge_recursive = (node.flags & CallNode::kEdgeRecursive) != 0;
      MergedEdge& edge = merged.edges[*found];
      edge.calls += node.calls;
      edge.recursive_calls += edge_recursive ? node.calls : 0;
      edge.own_ns += own_ns;
      edge.cum_ns += edge_recursive ? 0 : total_ns;
    }
  }

  for (size_t i = merged.nodes.size(); i-- > 1;) {
    MergedNode& node = merged.nodes[i];
    node.total_ns += node.own_ns;
    merged.nodes[node.parent].total_ns += node.total_ns;
  }
  MergedNode& root = merged.nodes[0];
  root.total_ns += root.own_ns;

  for (const MergedFunction& func : merged.funcs) {
    merged.total_ns += func.own_ns;
    merged.calls += func.calls;
    merged.primitive_calls += func.calls - func.recursive_calls;
    merged.functions_called += func.calls != 0 || func.own_ns != 0;
  }
  return merged;
}

}  // namespace profiler
