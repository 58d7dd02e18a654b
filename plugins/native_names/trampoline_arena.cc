// plugins/native_names/trampoline_arena.cc - the stub's bytes and the arena
// that hands out copies of it; see trampoline_arena.h.
#include "trampoline_arena.h"

#include <errno.h>
#include <sys/mman.h>

#include <cstring>

namespace native_names {

namespace {

#if defined(__x86_64__)
// System V AMD64: tstate in rdi, frame in rsi, throwflag in edx, the
// interpreter in rcx (pyhooks_trampoline_fn); the first three pass through
// untouched. The frame-pointer prologue lets unwinders without CFI for this
// memory (libdw's fallback, frame-pointer walks) step over the stub; the
// alignment is right for the call (rsp is 16-byte aligned after the push).
constexpr uint8_t kStub[] = {
    0x55,              // push %rbp
    0x48, 0x89, 0xe5,  // mov  %rsp,%rbp
    0xff, 0xd1,        // call *%rcx
    0x5d,              // pop  %rbp
    0xc3,              // ret
};
constexpr bool kHaveStub = true;
#else
constexpr uint8_t kStub[] = {0};
constexpr bool kHaveStub = false;
#endif
constexpr uint8_t kTrap = 0xcc;  // int3: never reached, fills the padding

static_assert(sizeof(kStub) <= TrampolineArena::kStubSize, "stub too big");

}  // namespace

bool arena_supported() { return kHaveStub; }

const char* machine_name() {
#if defined(__x86_64__)
  return "x86-64";
#elif defined(__aarch64__)
  return "aarch64";
#elif defined(__i386__)
  return "x86 (32-bit)";
#else
  return "this processor";
#endif
}

bool TrampolineArena::add_chunk(std::string* error) {
  void* memory = mmap(nullptr, kChunkSize, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) {
    *error = std::string("cannot map memory for trampolines: ") +
             std::strerror(errno);
    return false;
  }
  auto* bytes = static_cast<uint8_t*>(memory);
  for (size_t at = 0; at < kChunkSize; at += kStubSize) {
    std::memcpy(bytes + at, kStub, sizeof(kStub));
    std::memset(bytes + at + sizeof(kStub), kTrap, kStubSize - sizeof(kStub));
  }
  if (mprotect(memory, kChunkSize, PROT_READ | PROT_EXEC) != 0) {
    *error = std::string("cannot make trampoline memory executable: ") +
             std::strerror(errno);
    munmap(memory, kChunkSize);
    return false;
  }
  __builtin___clear_cache(reinterpret_cast<char*>(bytes),
                          reinterpret_cast<char*>(bytes + kChunkSize));
  chunks_.push_back(bytes);
  used_in_last_chunk_ = 0;
  return true;
}

void* TrampolineArena::acquire(const std::string& name, bool* fresh,
                               std::string* error) {
  auto reusable = free_by_name_.find(name);
  if (reusable != free_by_name_.end() && !reusable->second.empty()) {
    void* stub = reusable->second.back();
    reusable->second.pop_back();
    *fresh = false;
    return stub;
  }
  if (chunks_.empty() || used_in_last_chunk_ == kChunkSize) {
    if (!add_chunk(error)) return nullptr;
  }
  void* stub = chunks_.back() + used_in_last_chunk_;
  used_in_last_chunk_ += kStubSize;
  names_.emplace(stub, name);
  *fresh = true;
  return stub;
}

void TrampolineArena::release(void* stub) {
  auto named = names_.find(stub);
  if (named != names_.end()) free_by_name_[named->second].push_back(stub);
}

}  // namespace native_names
