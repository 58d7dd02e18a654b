// tests/fuzz/config_fuzzer.cc - libFuzzer target for the config loader.
//
// Any bytes, read as a pyhooks.toml or as a pyproject.toml, must give either
// a Config or an error that is ONE line positioned in the file
// ("fuzz.toml:line:col: error: ...") - never a crash, a hang, a sanitizer
// report or a multi-line message. Built with clang by tools/fuzz.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "config_parse.h"

namespace {

void require(bool condition, const char* what, const std::string& error) {
  if (!condition) {
    std::fprintf(stderr, "config fuzzer: %s: %s\n", what, error.c_str());
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pyhooks::ConfigText source;
  source.text.assign(reinterpret_cast<const char*>(data), size);
  bool pyproject = size > 0 && (data[0] & 1) != 0;
  source.file = pyproject ? "pyproject.toml" : "fuzz.toml";
  source.base_dir = "/nonexistent-pyhooks-fuzz";
  source.origin = pyproject ? pyhooks::ConfigOrigin::kPyprojectToml
                            : pyhooks::ConfigOrigin::kPyhooksToml;
  auto result = pyhooks::parse_config(source);
  if (!result.ok()) {
    const std::string& error = result.error();
    require(!error.empty(), "empty error", error);
    require(error.find('\n') == std::string::npos, "multi-line error", error);
    require(error.rfind(source.file + ":", 0) == 0,
            "error not positioned in the file", error);
  }
  return 0;
}
