// plugins/profiler/thread_profile.cc - the slow paths of ThreadProfile: new
// call paths, the path budget, unmatched exits, shutdown and fork.
#include "thread_profile.h"

namespace profiler {

namespace {

uint64_t fid_bit(uint32_t fid) { return 1ull << ((fid * 0x9E3779B9u) >> 26); }

}  // namespace

const char kRootCode[1] = {0};

ThreadProfile::ThreadProfile(uint64_t ident, uint32_t ordinal,
                             uint64_t overhead_ticks, uint32_t max_nodes)
    : ident_(ident),
      ordinal_(ordinal),
      max_nodes_(max_nodes < 2 ? 2 : max_nodes),
      overhead_ticks_(overhead_ticks) {
  stack_.resize(256);
  stack_[0] = Activation{kRootCode, 0, 0, 0, 0};
  top_ = stack_.data();
  end_ = stack_.data() + stack_.size();
  add_node(kNone, 0, kNone, 0);  // the root
}

void ThreadProfile::grow_stack() {
  const size_t depth = this->depth();
  stack_.resize(stack_.size() * 2);
  top_ = stack_.data() + depth;
  end_ = stack_.data() + stack_.size();
}

uint32_t ThreadProfile::add_node(uint32_t fid, uint32_t parent, uint32_t caller,
                                 uint32_t flags) {
  auto index = static_cast<uint32_t>(nodes_.size());
  uint64_t ancestors = index == 0 ? 0 : nodes_[parent].ancestors;
  if (fid < kOverflowFid) ancestors |= fid_bit(fid);
  nodes_.push_back(
      CallNode{fid, parent, caller, flags, kNone, 0, ancestors, 0, 0, 0});
  return index;
}

uint32_t ThreadProfile::child_slow(uint32_t parent, uint32_t fid) {
  if (nodes_[parent].flags & CallNode::kFlat) {
    // A flat node stands for many paths: its children depend on the actual
    // stack, so they are never cached in a hint.
    return flat_child(parent, fid);
  }
  uint32_t node = tree_child(parent, fid);
  CallNode& from = nodes_[parent];
  from.hint_fid = fid;
  from.hint_child = node;
  return node;
}

uint32_t ThreadProfile::tree_child(uint32_t parent, uint32_t fid) {
  uint64_t key = (static_cast<uint64_t>(parent) << 32) | (fid + 1ull);
  if (const uint32_t* found = tree_map_.find(key)) return *found;
  if (nodes_.size() >= max_nodes_) return flat_child(parent, fid);
  // The path from the root to `parent` is the running stack: recursion is a
  // property of the path, decided once here.
  uint32_t caller = nodes_[parent].fid;
  uint32_t flags = 0;
  // The ancestors' Bloom filter settles "not recursive" without a walk; a
  // walk stops as soon as both flags are known.
  if (nodes_[parent].ancestors & fid_bit(fid)) {
    for (uint32_t up = parent; up != 0; up = nodes_[up].parent) {
      const CallNode& above = nodes_[up];
      if (above.fid != fid) continue;
      flags |= CallNode::kRecursive;
      if (above.caller == caller && caller != kNone) {
        flags |= CallNode::kEdgeRecursive;
        break;
      }
    }
  }
  uint32_t node = add_node(fid, parent, caller, flags);
  tree_map_.insert(key, node);
  return node;
}

uint32_t ThreadProfile::flat_child(uint32_t parent, uint32_t fid) {
  // Beyond the path budget (or below a flat node): recursion is read off the
  // actual stack, and the node is shared by every path with the same caller,
  // callee and flags.
  ++flat_entries_;
  uint32_t caller = nodes_[parent].fid;
  uint32_t flags = CallNode::kFlat;
  for (size_t i = depth() + 1; i-- > 1;) {
    const CallNode& open = nodes_[stack_[i].node];
    if (open.fid == fid) {
      flags |= CallNode::kRecursive;
      if (open.caller == caller) flags |= CallNode::kEdgeRecursive;
    }
  }
  if (caller == kNone) flags &= ~CallNode::kEdgeRecursive;
  uint64_t key = (static_cast<uint64_t>(caller + 1u) << 33) |
                 (static_cast<uint64_t>(fid + 1u) << 2) | (flags & 3u);
  if (const uint32_t* found = flat_map_.find(key)) return *found;
  if (overflow_node_ == 0) {
    overflow_node_ = add_node(kOverflowFid, 0, kNone, 0);
  }
  uint32_t node = add_node(fid, overflow_node_, caller, flags);
  flat_map_.insert(key, node);
  return node;
}

bool ThreadProfile::exit_slow(uint64_t now, const void* code) {
  // An exit that is not for the innermost activation: the host promises this
  // never happens, so recover without trusting it - close what lies above a
  // matching activation (their exits were lost), or ignore the event.
  for (size_t i = depth() + 1; i-- > 1;) {
    if (stack_[i].code == code) {
      while (depth() > i) {
        ++unmatched_;
        pop(now);
      }
      pop(now);
      return true;
    }
  }
  ++unmatched_;
  return false;
}

void ThreadProfile::close_all(uint64_t now) {
  while (depth() > 0) pop(now);
}

void ThreadProfile::reset_after_fork(uint64_t now) {
  for (CallNode& node : nodes_) {
    node.calls = node.own_ticks = node.total_ticks = 0;
  }
  for (Activation* open = stack_.data(); open <= top_; ++open) {
    open->t_enter = now - charged_;
    open->sub_ticks = 0;
  }
  unmatched_ = 0;
  flat_entries_ = 0;
  last_now_ = now;
}

size_t ThreadProfile::memory_bytes() const {
  return stack_.size() * sizeof(Activation) +
         nodes_.capacity() * sizeof(CallNode) + tree_map_.memory_bytes() +
         flat_map_.memory_bytes();
}

}  // namespace profiler
