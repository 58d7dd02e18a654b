// plugins/jit/backend_loader.cc - see backend_loader.h.
#include "backend_loader.h"

#include <dlfcn.h>

namespace jit {

namespace {

// The directory of this plugin library, from one of its own addresses.
std::string plugin_directory() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&plugin_directory), &info) == 0 ||
      info.dli_fname == nullptr) {
    return ".";
  }
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

std::unique_ptr<Engine> load_engine(int opt_level, Engine::SymbolSink sink,
                                    std::string* why) {
  std::string path = plugin_directory() + "/jit/pyhooks_jit_llvm.so";
  // Kept open for the process's life, like every plugin library: code it
  // made may run until the end.
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* error = dlerror();
    *why = "cannot open the LLVM backend " + path + ": " +
           (error ? error : "unknown error") +
           " (reinstall pyhooks; it needs libLLVM-15, apt-get install "
           "libllvm15)";
    return nullptr;
  }
  auto create = reinterpret_cast<CreateEngineFn>(
      dlsym(library, PYHOOKS_JIT_BACKEND_ENTRY));
  if (create == nullptr) {
    *why = path + " has no " PYHOOKS_JIT_BACKEND_ENTRY " (a mismatched build)";
    return nullptr;
  }
  return std::unique_ptr<Engine>(create(opt_level, &sink, why));
}

}  // namespace jit
