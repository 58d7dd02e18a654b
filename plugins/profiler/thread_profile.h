// plugins/profiler/thread_profile.h - one thread's measurements and the hot
// path that records them.
//
// A thread has a shadow stack of open activations (stack_[0] is a root
// sentinel) and a call tree with one node per distinct call path. Enter
// events (START, RESUME) push an activation on the node for (current path,
// function); exit events (RETURN, YIELD, UNWIND) pop it and add its times to
// that node. Nothing else is touched per event: per-function and per-edge
// figures are derived from the nodes when the profile is written
// (profile_merge.h). A generator resume is its own activation that does not
// count a call, so a call is counted once per activation while every resumed
// stretch adds time to the same function.
//
// cProfile's rules hold because a node's path is the stack it runs on:
//  - own time = an activation's time minus its children's;
//  - a call is recursive (not primitive) when the function is already
//    running below it, i.e. when the node has an ancestor with the same
//    function (kRecursive, fixed when the node is made);
//  - cumulative time is counted only for the outermost running activation
//    of a function, i.e. only from nodes without kRecursive; the same for a
//    caller edge (kEdgeRecursive: an ancestor pair with the same caller and
//    callee).
// `overhead_ticks` (the measured cost of one event inside the profiler, in
// clock ticks like every time here) is subtracted once for every event that
// falls inside an activation, never going below zero.
//
// Memory grows with distinct call paths, never with the number of calls.
// After `max_nodes` paths, new paths get "flat" nodes keyed by (caller,
// callee, recursion flags) below one "[more call paths]" node: function and
// edge figures stay exact, memory stays bounded by the number of edges, and
// only the stacks lose detail (such entries cost a walk of the stack).
#pragma once

#include <cstdint>
#include <vector>

#include "support_names.h"

namespace profiler {

constexpr uint32_t kNone = 0xFFFFFFFFu;
constexpr uint32_t kOverflowFid = 0xFFFFFFFEu;  // the "[more call paths]" node

struct CallNode {
  static constexpr uint32_t kRecursive = 1u << 0;
  static constexpr uint32_t kEdgeRecursive = 1u << 1;
  static constexpr uint32_t kFlat = 1u << 2;  // beyond the path budget

  uint32_t fid;     // kNone for the root, kOverflowFid for the overflow node
  uint32_t parent;  // tree parent (0 is the root)
  uint32_t caller;  // the calling function's fid; kNone at top level
  uint32_t flags;
  uint32_t hint_fid;    // the child looked up last: its fid...
  uint32_t hint_child;  // ...and node
  uint64_t ancestors;   // one bit per function on the path (a Bloom filter)
  uint64_t calls;
  uint64_t own_ticks;    // clock ticks (nanoseconds unless the TSC is used)
  uint64_t total_ticks;  // sum of the activations' total times
};

struct Activation {
  const void* code;  // to match the exit event
  uint64_t t_enter;
  uint64_t ev_enter;
  uint64_t sub_ticks;  // children's time
  uint32_t node;
  uint32_t unused;
};

class ThreadProfile {
 public:
  ThreadProfile(uint64_t ident, uint32_t ordinal, uint64_t overhead_ticks,
                uint32_t max_nodes);

  // START (counts_call) or RESUME of `fid` at `now`.
  void enter(uint64_t now, uint32_t fid, const void* code, bool counts_call) {
    ++events_;
    last_now_ = now;
    CallNode& parent = nodes_[stack_.back().node];
    uint32_t node;
    if (parent.hint_fid == fid) {
      node = parent.hint_child;
    } else {
      node = child_slow(stack_.back().node, fid);
    }
    nodes_[node].calls += counts_call;
    stack_.push_back(Activation{code, now, events_, 0, node, 0});
  }

  // RETURN, YIELD or UNWIND of `code` at `now`. False if no open activation
  // matches (the event is then ignored and counted in unmatched()).
  bool exit(uint64_t now, const void* code) {
    if (stack_.size() <= 1 || stack_.back().code != code) {
      return exit_slow(now, code);
    }
    pop(now);
    return true;
  }

  // Charges every open activation as if it ended at `now` (shutdown).
  void close_all(uint64_t now);
  // In a forked child: forget every measurement, keep the open activations
  // (their exits are still coming) with their clocks restarted at `now`.
  void reset_after_fork(uint64_t now);

  uint64_t ident() const { return ident_; }
  uint32_t ordinal() const { return ordinal_; }
  uint64_t last_now() const { return last_now_; }
  uint64_t events() const { return events_; }
  uint64_t unmatched() const { return unmatched_; }
  uint64_t flat_entries() const { return flat_entries_; }
  size_t depth() const { return stack_.size() - 1; }
  size_t memory_bytes() const;

  const std::vector<CallNode>& nodes() const { return nodes_; }

 private:
  void pop(uint64_t now) {
    ++events_;
    last_now_ = now;
    Activation done = stack_.back();
    stack_.pop_back();
    int64_t total =
        static_cast<int64_t>(now - done.t_enter) -
        static_cast<int64_t>(overhead_ticks_ * (events_ - done.ev_enter));
    if (total < 0) total = 0;
    int64_t own = total - static_cast<int64_t>(done.sub_ticks);
    if (own < 0) own = 0;
    stack_.back().sub_ticks += static_cast<uint64_t>(total);
    CallNode& node = nodes_[done.node];
    node.own_ticks += static_cast<uint64_t>(own);
    node.total_ticks += static_cast<uint64_t>(total);
  }

  uint32_t child_slow(uint32_t parent, uint32_t fid);
  uint32_t tree_child(uint32_t parent, uint32_t fid);
  uint32_t flat_child(uint32_t parent, uint32_t fid);
  uint32_t add_node(uint32_t fid, uint32_t parent, uint32_t caller,
                    uint32_t flags);
  bool exit_slow(uint64_t now, const void* code);

  uint64_t ident_;
  uint32_t ordinal_;
  uint32_t max_nodes_;
  uint64_t overhead_ticks_;
  uint64_t events_ = 0;
  uint64_t last_now_ = 0;
  uint64_t unmatched_ = 0;
  uint64_t flat_entries_ = 0;
  uint32_t overflow_node_ = 0;  // 0 until made
  std::vector<Activation> stack_;
  std::vector<CallNode> nodes_;
  FlatMap tree_map_;  // (parent node, fid) -> node
  FlatMap flat_map_;  // (caller, fid, flags) -> flat node
};

}  // namespace profiler
