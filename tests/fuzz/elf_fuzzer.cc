// tests/fuzz/elf_fuzzer.cc - libFuzzer target for the plugin-file checks
// that run before dlopen (loader/elf_file.h, plugin ABI LOADER-1/-3).
//
// Any bytes, seeded with real plugins (tools/fuzz.sh), so that libFuzzer's
// bit flips, byte changes and cuts land in ELF headers, segments, dynamic
// sections and symbol tables: the check must give either facts or ONE line,
// never a crash, a hang or a sanitizer report; an accepted entry lies in an
// executable segment. Nothing is ever mapped. Built with clang by
// tools/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "loader/elf_file.h"

namespace {

void require(bool condition, const char* what, const std::string& detail) {
  if (!condition) {
    std::fprintf(stderr, "elf fuzzer: %s: %s\n", what, detail.c_str());
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto facts = pyhooks::check_elf_memory(data, size, "pyhooks_plugin_entry");
  if (!facts.ok()) {
    const std::string& error = facts.error();
    require(!error.empty(), "empty error", error);
    require(error.find('\n') == std::string::npos, "multi-line error", error);
    return 0;
  }
  require(!facts->executable.empty(), "accepted without code", "");
  if (facts->has_entry) {
    bool in_code = false;
    for (const auto& range : facts->executable) {
      in_code = in_code || (facts->entry_address >= range.begin &&
                            facts->entry_address < range.end);
    }
    require(in_code, "entry outside code",
            std::to_string(facts->entry_address));
  }
  return 0;
}
