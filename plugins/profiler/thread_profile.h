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
// falls inside an activation, never going below zero. Rather than counting
// events, the thread keeps `charged_`, the overhead of every event so far,
// and an activation keeps its enter time less what was charged then: its
// total is then one subtraction of such adjusted times.
//
// The hot path (enter, exit) is branch-light: the stack is a buffer with a
// top pointer (only a push checks for room), the root sentinel's code never
// matches an exit, so an exit needs one comparison, and the clamps are
// conditional moves.
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

// 32 bytes, so that the stack is indexed by a shift.
struct Activation {
  const void* code;    // to match the exit event (kRootCode for the root)
  uint64_t t_enter;    // the enter's time less the overhead charged so far
  uint64_t sub_ticks;  // children's time
  uint32_t node;
  uint32_t unused;
};

// The root sentinel's code: no code object or callable has this address, so
// an exit can never match (and pop) the root.
extern const char kRootCode[1];

class ThreadProfile {
 public:
  ThreadProfile(uint64_t ident, uint32_t ordinal, uint64_t overhead_ticks,
                uint32_t max_nodes);
  // top_ and end_ point into stack_: never copied.
  ThreadProfile(const ThreadProfile&) = delete;
  ThreadProfile& operator=(const ThreadProfile&) = delete;

  // START (counts_call) or RESUME of `fid` at `now`.
  void enter(uint64_t now, uint32_t fid, const void* code, bool counts_call) {
    charged_ += overhead_ticks_;
    last_now_ = now;
    const uint32_t parent_index = top_->node;
    CallNode& parent = nodes_[parent_index];
    const uint32_t node = parent.hint_fid == fid
                              ? parent.hint_child
                              : child_slow(parent_index, fid);
    nodes_[node].calls += counts_call;
    if (__builtin_expect(top_ + 1 == end_, 0)) grow_stack();
    ++top_;
    *top_ = Activation{code, now - charged_, 0, node, 0};
  }

  // enter() when it needs no slow path (the parent's hint names `fid`, the
  // stack has room): true if done, false (nothing changed) otherwise.
  bool try_enter(uint64_t now, uint32_t fid, const void* code,
                 bool counts_call) {
    const CallNode& parent = nodes_[top_->node];
    if (parent.hint_fid != fid || top_ + 1 == end_) return false;
    charged_ += overhead_ticks_;
    last_now_ = now;
    const uint32_t node = parent.hint_child;
    nodes_[node].calls += counts_call;
    ++top_;
    *top_ = Activation{code, now - charged_, 0, node, 0};
    return true;
  }

  // exit() when `code` is the innermost activation's: true if done, false
  // (nothing changed) otherwise.
  bool try_exit(uint64_t now, const void* code) {
    if (top_->code != code) return false;
    pop(now);
    return true;
  }

  // RETURN, YIELD or UNWIND of `code` at `now`. False if no open activation
  // matches (the event is then ignored and counted in unmatched()).
  bool exit(uint64_t now, const void* code) {
    if (__builtin_expect(top_->code != code, 0)) return exit_slow(now, code);
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
  uint64_t unmatched() const { return unmatched_; }
  uint64_t flat_entries() const { return flat_entries_; }
  size_t depth() const { return static_cast<size_t>(top_ - stack_.data()); }
  size_t memory_bytes() const;

  const std::vector<CallNode>& nodes() const { return nodes_; }

 private:
  void pop(uint64_t now) {
    charged_ += overhead_ticks_;
    last_now_ = now;
    const Activation done = *top_;
    --top_;
    int64_t total = static_cast<int64_t>(now - charged_ - done.t_enter);
    total = total < 0 ? 0 : total;
    int64_t own = total - static_cast<int64_t>(done.sub_ticks);
    own = own < 0 ? 0 : own;
    top_->sub_ticks += static_cast<uint64_t>(total);
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
  void grow_stack();

  uint64_t ident_;
  uint32_t ordinal_;
  uint32_t max_nodes_;
  uint64_t overhead_ticks_;
  uint64_t charged_ = 0;  // overhead_ticks_ times the events so far
  uint64_t last_now_ = 0;
  uint64_t unmatched_ = 0;
  uint64_t flat_entries_ = 0;
  uint32_t overflow_node_ = 0;  // 0 until made
  // Open activations: stack_[0] is the root, top_ the innermost, end_ one
  // past the buffer's last slot.
  std::vector<Activation> stack_;
  Activation* top_ = nullptr;
  Activation* end_ = nullptr;
  std::vector<CallNode> nodes_;
  FlatMap tree_map_;  // (parent node, fid) -> node
  FlatMap flat_map_;  // (caller, fid, flags) -> flat node
};

}  // namespace profiler
