// host/runtime/shadow_stacks.cc - the per-thread map behind the cache.
#include "shadow_stacks.h"

namespace pyhooks {

ThreadShadow& ShadowStacks::lookup(PyThreadState* tstate) {
  std::unique_ptr<ThreadShadow>& slot = threads_[tstate];
  if (!slot) {
    slot = std::make_unique<ThreadShadow>();
  }
  last_tstate_ = tstate;
  last_ = slot.get();
  return *last_;
}

void ShadowStacks::clear() {
  threads_.clear();
  last_tstate_ = nullptr;
  last_ = nullptr;
}

void ShadowStacks::collect_chains(std::vector<const Chain*>& chains) const {
  for (const auto& [tstate, thread] : threads_) {
    for (size_t i = 0; i < thread->open.size(); ++i) {
      chains.push_back(thread->open[i].chain);
    }
    for (const ShadowFrame& announced : thread->announced) {
      chains.push_back(announced.chain);
    }
  }
}

void ShadowStacks::keep_only(PyThreadState* tstate) {
  std::unique_ptr<ThreadShadow> kept;
  auto it = threads_.find(tstate);
  if (it != threads_.end()) {
    kept = std::move(it->second);
  }
  clear();
  if (kept) {
    threads_[tstate] = std::move(kept);
  }
}

}  // namespace pyhooks
