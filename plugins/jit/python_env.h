// plugins/jit/python_env.h - the inference's Environment over the running
// program: which functions, builtins, math functions and constants the
// names of a unit are bound to, each recorded as a guard.
#pragma once

#include <vector>

#include "guards.h"
#include "jit_plugin.h"
#include "type_infer.h"

namespace jit {

class PythonEnvironment : public Environment {
 public:
  // `function` and `code` of the entry, its globals and builtins (borrowed).
  PythonEnvironment(JitPlugin* plugin, PyObject* function, PyObject* code,
                    PyObject* globals, PyObject* builtins, Guards* guards);

  const ir::Function* function_ir(int32_t function, std::string* why) override;
  Value global(int32_t function, const std::string& name,
               ir::Constant* constant, std::string* why) override;
  Value attribute(Value owner, const std::string& name, ir::Constant* constant,
                  std::string* why) override;

 private:
  struct Callee {
    PyObject* function;  // borrowed; kept alive by its guard
    PyObject* code;
  };
  // What `object` is to the subset (`name` for the reasons).
  Value classify(PyObject* object, const std::string& name,
                 ir::Constant* constant, std::string* why);

  JitPlugin* plugin_;
  PyObject* globals_;
  PyObject* builtins_;
  Guards* guards_;
  std::vector<Callee> callees_;
  Ref math_;  // sys.modules["math"] if imported
};

}  // namespace jit
