// cli/stage.h - the installed tree the `pyhooks` executable belongs to.
//
// `make build` installs into a relocatable prefix (build/stage):
//   bin/pyhooks, lib/pyhooks/boot/{libpyhooks_boot.so,_pyhooks_boot.py},
//   lib/pyhooks/python/pyhooks/_host<EXT_SUFFIX>, lib/pyhooks/plugins/.
// The CLI finds it from its own executable (/proc/self/exe).
#pragma once

#include <string>
#include <vector>

#include "loader/result.h"

namespace pyhooks {

struct Stage {
  std::string root;

  std::string boot_dir() const { return root + "/lib/pyhooks/boot"; }
  // The library `pyhooks run` preloads into the interpreter (boot/boot.h).
  std::string boot_library() const {
    return boot_dir() + "/libpyhooks_boot.so";
  }
  std::string package_dir() const { return root + "/lib/pyhooks/python"; }
  // The host module for an interpreter with this EXT_SUFFIX (path), or
  // empty when this build has none.
  std::string host_module(const std::string& ext_suffix) const;
  // The file names of every host module in the package.
  std::vector<std::string> host_modules() const;
};

// The stage of the running executable; an error when it is not installed
// in one (e.g. run from the build tree) or the tree is incomplete.
Result<Stage> locate_stage();

// "_host.cpython-312-x86_64-linux-gnu.so" -> "3.12" ("" if unknown).
std::string host_module_version(const std::string& file_name);

}  // namespace pyhooks
