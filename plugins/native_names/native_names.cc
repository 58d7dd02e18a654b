// plugins/native_names/native_names.cc - the evaluator's logic; the call
// path is drawn in native_names.h.
#include "native_names.h"

#include <new>

namespace native_names {

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

pyhooks_status NativeNames::evaluate(pyhooks_frame* frame) noexcept {
  auto* data = static_cast<CodeData*>(frame->code_data);
  if (data == nullptr) {
    return PYHOOKS_DECLINED;  // the host had no memory for it: unnamed
  }
  if (data->trampoline == nullptr) {
    try {
      data->trampoline =
          reinterpret_cast<pyhooks_trampoline_fn>(assign(frame->code));
    } catch (const std::bad_alloc&) {
      // Naming a new function needs memory: run it unnamed this time.
      return PYHOOKS_DECLINED;
    }
  }
  // Named or left out, for good: the host calls the trampoline from now on.
  return PYHOOKS_DISABLE;
}

void NativeNames::forget(CodeData* data) {
  if (data != nullptr && data->trampoline != nullptr) {
    arena_.release(reinterpret_cast<void*>(data->trampoline));
  }
}

std::string NativeNames::summary() const {
  return std::to_string(named_) + " code objects named with " +
         std::to_string(arena_.distinct_stubs()) + " trampolines in " +
         std::to_string(arena_.chunk_count()) + " chunk(s) of 64 KiB; " +
         std::to_string(excluded_) + " left out by include/exclude";
}

}  // namespace native_names
