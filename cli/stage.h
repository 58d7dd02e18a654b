// cli/stage.h - the installed tree the `pyhooks` executable belongs to.
//
// `make build` installs into a relocatable prefix (build/stage):
//   bin/pyhooks, lib/pyhooks/boot/{libpyhooks_boot.so,_pyhooks_boot.py},
//   lib/pyhooks/python/pyhooks/_host<EXT_SUFFIX>, lib/pyhooks/plugins/.
// The CLI finds it from its own executable (/proc/self/exe).
//
// A wheel (tools/wheel/) installs the same tree inside the package itself,
// site-packages/pyhooks/{bin,lib/pyhooks/{boot,plugins}}, with the package
// (its __init__.py and _host module) at the tree's root: there the package
// directory is the root's parent, the site-packages the interpreter already
// has on sys.path.
#pragma once

#include <string>
#include <vector>

#include "loader/result.h"

namespace pyhooks {

struct Stage {
  std::string root;
  // The directory holding the `pyhooks` package: root/lib/pyhooks/python,
  // or, in a wheel's layout, root's parent.
  std::string python_dir;

  std::string boot_dir() const { return root + "/lib/pyhooks/boot"; }
  // The library `pyhooks run` preloads into the interpreter (boot/boot.h).
  std::string boot_library() const {
    return boot_dir() + "/libpyhooks_boot.so";
  }
  std::string package_dir() const { return python_dir; }
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
