// plugins/support/process_identity.cc - program or child, and the command
// line (see process_identity.h).
#include "support/process_identity.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pyhooks::support {

bool is_program_process() {
  const char* spec = std::getenv("PYHOOKS_RUN_SPEC");
  if (spec == nullptr) return true;
  const char* key = std::strstr(spec, "\"pid\":");
  if (key == nullptr) return true;
  char* end = nullptr;
  long pid = std::strtol(key + 6, &end, 10);
  if (end == key + 6) return true;
  return pid == static_cast<long>(getpid());
}

std::string command_line(size_t limit) {
  FILE* file = std::fopen("/proc/self/cmdline", "rb");
  if (file == nullptr) return "";
  std::string text;
  char buffer[512];
  size_t got;
  while (text.size() <= limit &&
         (got = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    text.append(buffer, got);
  }
  std::fclose(file);
  while (!text.empty() && text.back() == '\0') text.pop_back();
  for (char& c : text) {
    if (c == '\0' || c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > limit) text = text.substr(0, limit) + "...";
  return text;
}

}  // namespace pyhooks::support
