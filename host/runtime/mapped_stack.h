// host/runtime/mapped_stack.h - the main thread's stack as it is mapped.
//
// glibc reports the main thread's stack as RLIMIT_STACK long. Under
// `pyhooks run` the mapping is larger: the boot library grew it under a
// raised limit and then restored the inherited one (cli/boot/main_stack.c).
// The C stack guard (stack_guard.h) uses whichever reaches lower.
#pragma once

#include <cstdint>

namespace pyhooks {

// The lowest address of the mapping that holds `address` when the caller is
// the process's main thread; 0 otherwise or when it cannot be read.
uintptr_t main_thread_mapping_start(uintptr_t address);

}  // namespace pyhooks
