// plugins/tracer/c_call_slices.cc - c_calls: builtins and other C functions
// as slices, named as cProfile names them (plugin-abi.md, HOST-21/22).
//
// A C_CALL opens a slice keyed by the callable (the host gives the same one
// on its C_RETURN / C_RAISE); Python frames the C function runs
// (sorted(key=f)) nest inside it. Code filtered out by include/exclude
// answers DISABLE here too, which also drops that code's call sites.
#include <algorithm>

#include "tracer.h"

namespace tracer {

pyhooks_status Tracer::on_c_event(ThreadTrack* thread, uint64_t now,
                                  pyhooks_event event,
                                  const pyhooks_frame* frame) {
  if (!options_.c_calls) return PYHOOKS_OK;  // never subscribed
  if (now <= thread->last_ns) now = thread->last_ns + 1;
  if (event != PYHOOKS_EVENT_C_CALL) {
    thread->last_ns = now;
    leave(thread, now, event, frame);
    return PYHOOKS_OK;
  }
  CodeCacheEntry& cached = code_cache_[cache_slot(frame->code)];
  CodeData* caller;
  if (cached.code == frame->code) {
    caller = cached.data;
  } else {
    caller = lookup_code(frame->code);
    if (caller == nullptr) return PYHOOKS_OK;
    cached = CodeCacheEntry{frame->code, caller};
  }
  if (caller->value == kExcluded) return PYHOOKS_DISABLE;
  uint32_t name = c_function_id(frame);
  if (name == kExcluded) return PYHOOKS_OK;              // unnamed: not timed
  now = std::max(clock_.now_ns(), thread->last_ns + 1);  // not the look-ups
  thread->last_ns = now;
  OpenSlice open{now, frame->callable, nullptr, name, 0, 0};
  if (options_.max_depth != 0 && thread->visible >= options_.max_depth) {
    open.flags |= kHidden;
  } else {
    ++thread->visible;
  }
  if (capturing_) thread->captures.emplace_back();
  thread->stack.push_back(open);
  return PYHOOKS_OK;
}

uint32_t Tracer::c_function_id(const pyhooks_frame* frame) {
  const char* name = nullptr;
  const void* key = nullptr;
  if (api_->c_function_name(self_, frame, &name, &key) != PYHOOKS_OK ||
      name == nullptr) {
    return kExcluded;
  }
  // The key (a PyMethodDef) lives as long as the host's name for it: a
  // direct-mapped cache in front of the map answers most calls.
  CNameCacheEntry& cached = c_name_cache_[c_name_slot(key)];
  if (cached.key == key && key != nullptr) return cached.id;
  auto found = c_names_.find(key);
  uint32_t id;
  if (found != c_names_.end()) {
    id = found->second;
  } else {
    id = names_.add(name);
    c_names_.emplace(key, id);
  }
  cached = CNameCacheEntry{key, id};
  return id;
}

}  // namespace tracer
