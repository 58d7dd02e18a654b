// plugins/profiler/collapsed_writer.cc - walking the merged call tree into
// collapsed-stack lines (see collapsed_writer.h).
#include "collapsed_writer.h"

#include <utility>
#include <vector>

namespace profiler {

std::string collapsed_text(const MergedProfile& profile,
                           const FrameLabels& labels) {
  std::string out;
  std::string path;
  uint64_t charged_ns = 0;  // own time walked so far
  uint64_t emitted_us = 0;  // microseconds written so far
  auto emit = [&](uint64_t own_ns) {
    charged_ns += own_ns;
    uint64_t target_us = (charged_ns + 500) / 1000;
    if (target_us > emitted_us) {
      out += path;
      out += ' ';
      out += std::to_string(target_us - emitted_us);
      out += '\n';
      emitted_us = target_us;
    }
  };

  const MergedNode& root = profile.nodes[0];
  if (root.own_ns != 0) {
    path = labels.of(root);
    emit(root.own_ns);
  }
  // Depth-first, with the path text kept as a stack of lengths. A child
  // narrower than the fold threshold is not walked: its subtree's time is
  // summed into one "[small paths]" line below its parent.
  const uint64_t fold_below = root.total_ns / kFoldDivisor;
  struct Visit {
    uint32_t node;
    size_t next_child;
    uint64_t folded_ns;
  };
  std::vector<Visit> stack{{0, 0, 0}};
  std::vector<size_t> lengths{0};
  path.clear();
  while (!stack.empty()) {
    Visit& visit = stack.back();
    const MergedNode& node = profile.nodes[visit.node];
    if (visit.next_child == node.children.size()) {
      if (visit.folded_ns != 0) {
        size_t length = path.size();
        if (visit.node != 0) path += ';';
        path += kFoldedLabel;
        emit(visit.folded_ns);
        path.resize(length);
      }
      stack.pop_back();
      lengths.pop_back();
      path.resize(lengths.empty() ? 0 : lengths.back());
      continue;
    }
    uint32_t child = node.children[visit.next_child++];
    const MergedNode& entry = profile.nodes[child];
    if (entry.total_ns < fold_below) {
      visit.folded_ns += entry.total_ns;
      continue;
    }
    bool top = visit.node == 0;
    if (!top) path += ';';
    path += labels.of(entry);
    if (entry.own_ns != 0) emit(entry.own_ns);
    lengths.push_back(path.size());
    stack.push_back({child, 0, 0});
  }
  return out;
}

}  // namespace profiler
