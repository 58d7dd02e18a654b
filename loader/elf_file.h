// loader/elf_file.h - checking a plugin file before it is mapped.
//
// dlopen maps a file's PT_LOAD segments and trusts its headers: a truncated
// file faults (SIGBUS) on the first page past its end, and an entry symbol
// that is data is "called" by the loader (SIGSEGV). So the loader reads the
// file with pread - never mmap, which truncation could fault - and checks it
// first (plugin ABI policies LOADER-1 and LOADER-3 in
// docs/internals/plugin-abi.md): an ELF shared object of this machine's class,
// byte order and architecture, program headers and every PT_LOAD segment
// inside the file, a dynamic section, and `pyhooks_plugin_entry` defined in
// .dynsym as a function inside an executable PT_LOAD segment (.dynsym is
// found through the section headers, or, without any, through DT_SYMTAB and
// DT_HASH / DT_GNU_HASH as the dynamic linker finds it).
//
// The check takes any byte source, so the fuzzer runs it on memory without
// dlopen (tests/fuzz/elf_fuzzer.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "result.h"

namespace pyhooks {

// Bytes of a file: `read(offset, size, out)` fills `out` with exactly
// `size` bytes at `offset`, or returns false.
struct ElfBytes {
  uint64_t size = 0;
  std::function<bool(uint64_t offset, size_t size, void* out)> read;
};

// What the checks learned; addresses are relative to the load base.
struct ElfFacts {
  struct Range {
    uint64_t begin = 0;
    uint64_t end = 0;  // exclusive
  };
  std::vector<Range> executable;  // PT_LOAD segments with PF_X
  bool has_entry = false;         // `entry_symbol` is defined
  uint64_t entry_address = 0;     // its st_value
};

// The problem as a phrase ("the file is truncated: ..."), or the facts.
// Without an `entry_symbol` only the headers and segments are checked.
Result<ElfFacts> check_elf(const ElfBytes& bytes, const char* entry_symbol);

// check_elf() on a file, read with pread.
Result<ElfFacts> check_elf_file(const std::string& path,
                                const char* entry_symbol);

// check_elf() on memory (the fuzzer, tests).
Result<ElfFacts> check_elf_memory(const void* data, size_t size,
                                  const char* entry_symbol);

}  // namespace pyhooks
