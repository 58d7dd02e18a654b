// cli/python_plugin_check.h - `pyhooks check` for plugins written in Python.
//
// Whether "module:Class" can be imported, is a class, defines event methods
// and accepts its options can only be answered by Python. So check starts
// the interpreter `pyhooks run` would (with the staged pyhooks package) and
// activates the same bridge requests the run spec carries
// (run_spec.h: plugin_request_json): the answer is the bridge's own line, the
// one `pyhooks run` would stop with. The module is imported with the
// current directory first on sys.path (as `pyhooks run -m` does; a script's
// own directory is not known here).
#pragma once

#include <string>

#include "selection.h"

namespace pyhooks {

// "" when every Python plugin in `selection` starts (or there is none);
// else the one line to print. `python_command` names the interpreter.
std::string check_python_plugins(const Selection& selection,
                                 const std::string& python_command,
                                 const std::string& package_dir);

}  // namespace pyhooks
