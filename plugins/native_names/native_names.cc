// plugins/native_names/native_names.cc - the evaluator's logic; the call
// path is drawn in native_names.h.
#include "native_names.h"

namespace native_names {

namespace {

// A stub is called as stub(self, frame, target) and calls target(self,
// frame): here api->eval_next, the rest of the chain.
using Stub = struct _object* (*)(pyhooks_plugin*, pyhooks_frame*,
                                 struct _object* (*)(pyhooks_plugin*,
                                                     pyhooks_frame*));

}  // namespace

std::string perf_name(const char* qualname, const char* filename) {
  std::string name = std::string("py::") + qualname + ":" + filename;
  for (char& c : name) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return name;
}

std::string NativeNames::prepare() {
  std::string error;
  return arena_.reserve(&error) ? "" : error;
}

void* NativeNames::assign(struct _object* code) {
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  if (self_->api->code_info(self_, code, &info) != PYHOOKS_OK) return nullptr;
  if (!filter_.wants(info.qualname, info.filename)) {
    ++excluded_;
    return nullptr;
  }
  std::string name = perf_name(info.qualname, info.filename);
  bool fresh = false;
  std::string error;
  void* stub = arena_.acquire(name, &fresh, &error);
  if (stub == nullptr) {
    if (!memory_failed_) {
      memory_failed_ = true;
      self_->api->log(self_, PYHOOKS_LOG_WARNING,
                      (error + "; functions from now on run unnamed").c_str());
    }
    return nullptr;
  }
  if (fresh) {
    // A failure is reported once by the host; the stub still works.
    self_->api->perf_map_write(self_, stub, TrampolineArena::kStubSize,
                               name.c_str());
  }
  ++named_;
  return stub;
}

void* NativeNames::slow_lookup(struct _object* code, bool* out_of_memory) {
  void** slot = self_->api->code_slot(self_, code);
  if (slot == nullptr) {
    *out_of_memory = true;
    return nullptr;
  }
  if (*slot == nullptr) *slot = assign(code);
  return *slot;
}

pyhooks_status NativeNames::evaluate(pyhooks_frame* frame,
                                     struct _object** result) {
  CacheLine& line = cache_[cache_index(frame->code)];
  void* stub = line.code == frame->code ? line.stub : nullptr;
  if (stub == nullptr) {
    bool out_of_memory = false;
    stub = slow_lookup(frame->code, &out_of_memory);
    if (stub == nullptr) {
      return out_of_memory ? PYHOOKS_DECLINED : PYHOOKS_DISABLE;
    }
    line = CacheLine{frame->code, stub};
  }
  *result = reinterpret_cast<Stub>(stub)(self_, frame, self_->api->eval_next);
  return *result != nullptr ? PYHOOKS_HANDLED : PYHOOKS_ERROR;
}

void NativeNames::forget(const void* code_key, void* stub) {
  CacheLine& line = cache_[cache_index(code_key)];
  if (line.code == code_key) line = CacheLine{nullptr, nullptr};
  if (stub != nullptr) arena_.release(stub);
}

std::string NativeNames::summary() const {
  return std::to_string(named_) + " code objects named with " +
         std::to_string(arena_.distinct_stubs()) + " trampolines in " +
         std::to_string(arena_.chunk_count()) + " chunk(s) of 64 KiB; " +
         std::to_string(excluded_) + " left out by include/exclude";
}

}  // namespace native_names
