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
  // Depth-first, with the path text kept as a stack of lengths.
  std::vector<std::pair<uint32_t, size_t>> stack;  // node, next child
  std::vector<size_t> lengths;
  stack.push_back({0, 0});
  path.clear();
  lengths.push_back(0);
  while (!stack.empty()) {
    auto& [index, next] = stack.back();
    const MergedNode& node = profile.nodes[index];
    if (next == node.children.size()) {
      stack.pop_back();
      lengths.pop_back();
      path.resize(lengths.empty() ? 0 : lengths.back());
      continue;
    }
    uint32_t child = node.children[next++];
    const MergedNode& entry = profile.nodes[child];
    if (index != 0) path += ';';
    path += labels.of(entry);
    if (entry.own_ns != 0) emit(entry.own_ns);
    lengths.push_back(path.size());
    stack.push_back({child, 0});
  }
  return out;
}

}  // namespace profiler
