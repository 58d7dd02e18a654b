// plugins/jit/python_env.cc - see python_env.h.
#include "python_env.h"

namespace jit {

namespace {

// The name of a C function of module `module` ("" if `object` is not one):
// how builtins and math functions are recognised even after someone
// rebinds builtins.abs or math.sqrt to something else.
std::string c_function_of(PyObject* object, const char* module) {
  if (!PyCFunction_Check(object)) return "";
  PyObject* self = PyCFunction_GetSelf(object);
  if (self == nullptr || !PyModule_Check(self)) return "";
  const char* owner = PyModule_GetName(self);
  if (owner == nullptr || std::string(owner) != module) {
    PyErr_Clear();
    return "";
  }
  Ref name = Ref::steal(PyObject_GetAttrString(object, "__name__"));
  const char* text = name ? PyUnicode_AsUTF8(name.get()) : nullptr;
  PyErr_Clear();
  return text ? text : "";
}

Ref module_named(const char* name) {
  Ref key = Ref::steal(PyUnicode_FromString(name));
  Ref module = key ? Ref::steal(PyImport_GetModule(key.get())) : Ref();
  PyErr_Clear();
  return module;
}

}  // namespace

PythonEnvironment::PythonEnvironment(JitPlugin* plugin, PyObject* function,
                                     PyObject* code, PyObject* globals,
                                     PyObject* builtins, Guards* guards)
    : plugin_(plugin),
      globals_(globals),
      builtins_(builtins),
      guards_(guards),
      math_(module_named("math")) {
  callees_.push_back({function, code});
}

const ir::Function* PythonEnvironment::function_ir(int32_t function,
                                                   std::string* why) {
  PyObject* code = callees_.at(function).code;
  CodeState* state = plugin_->state_of(code);
  if (state == nullptr) {
    *why = "out of memory";
    return nullptr;
  }
  plugin_->read(code, state);
  if (!state->decode_error.empty()) {
    *why = "'" + state->ir.qualname + "': " + state->decode_error;
    return nullptr;
  }
  return &state->ir;
}

Value PythonEnvironment::global(int32_t, const std::string& name,
                                ir::Constant* constant, std::string* why) {
  Ref key = Ref::steal(PyUnicode_FromString(name.c_str()));
  if (!key) {
    PyErr_Clear();
    *why = "out of memory";
    return {};
  }
  PyObject* object = PyDict_GetItemWithError(globals_, key.get());
  bool builtin = false;
  if (object == nullptr && !PyErr_Occurred()) {
    object = PyDict_GetItemWithError(builtins_, key.get());
    builtin = true;
  }
  if (object == nullptr) {
    PyErr_Clear();
    *why = "name '" + name + "' is not defined (yet)";
    return {};
  }
  Value value = classify(object, name, constant, why);
  if (value.kind == Kind::kUnvisited) return value;
  guards_->add_name({Ref::borrow(builtin ? builtins_ : globals_), key,
                     Ref::borrow(object),
                     builtin ? Ref::borrow(globals_) : Ref()});
  return value;
}

Value PythonEnvironment::attribute(Value owner, const std::string& name,
                                   ir::Constant* constant, std::string* why) {
  if (owner.kind != Kind::kModule || !math_) {
    *why = "an attribute of something other than the math module";
    return {};
  }
  PyObject* dict = PyModule_GetDict(math_.get());
  Ref key = Ref::steal(PyUnicode_FromString(name.c_str()));
  PyObject* object = key ? PyDict_GetItemWithError(dict, key.get()) : nullptr;
  if (object == nullptr) {
    PyErr_Clear();
    *why = "math." + name + " does not exist";
    return {};
  }
  Value value = classify(object, "math." + name, constant, why);
  if (value.kind == Kind::kUnvisited) return value;
  guards_->add_name({Ref::borrow(dict), key, Ref::borrow(object), Ref()});
  return value;
}

Value PythonEnvironment::classify(PyObject* object, const std::string& name,
                                  ir::Constant* constant, std::string* why) {
  if (Py_IS_TYPE(object, &PyBool_Type)) {
    constant->kind = ir::Constant::kBool;
    constant->i = object == Py_True;
    return {Kind::kBool, 0};
  }
  if (Py_IS_TYPE(object, &PyLong_Type)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(object, &overflow);
    if (overflow == 0 && !(v == -1 && PyErr_Occurred())) {
      constant->kind = ir::Constant::kInt;
      constant->i = v;
      return {Kind::kInt, 0};
    }
    PyErr_Clear();
  }
  if (Py_IS_TYPE(object, &PyFloat_Type)) {
    constant->kind = ir::Constant::kFloat;
    constant->f = PyFloat_AsDouble(object);
    return {Kind::kFloat, 0};
  }
  if (math_ && object == math_.get()) return {Kind::kModule, 0};
  if (object == reinterpret_cast<PyObject*>(&PyRange_Type)) {
    return {Kind::kBuiltin, static_cast<int32_t>(Builtin::kRange)};
  }
  if (object == reinterpret_cast<PyObject*>(&PyLong_Type)) {
    return {Kind::kBuiltin, static_cast<int32_t>(Builtin::kInt)};
  }
  if (object == reinterpret_cast<PyObject*>(&PyFloat_Type)) {
    return {Kind::kBuiltin, static_cast<int32_t>(Builtin::kFloat)};
  }
  if (object == reinterpret_cast<PyObject*>(&PyBool_Type)) {
    return {Kind::kBuiltin, static_cast<int32_t>(Builtin::kBool)};
  }
  std::string c_name = c_function_of(object, "builtins");
  int32_t builtin = c_name.empty() ? -1 : builtin_by_name(c_name);
  if (builtin >= 0) return {Kind::kBuiltin, builtin};
  c_name = c_function_of(object, "math");
  int32_t math = c_name.empty() ? -1 : math_by_name(c_name);
  if (math >= 0) return {Kind::kMathFunc, math};
  if (PyFunction_Check(object)) {
    PyObject* code = PyFunction_GetCode(object);
    if (PyFunction_GetGlobals(object) != globals_) {
      *why = "calls '" + name + "' of another module";
      return {};
    }
    if (PyFunction_GetClosure(object) != nullptr) {
      *why = "calls '" + name + "', a closure";
      return {};
    }
    if (!plugin_->may_call_natively(object)) {
      *why = "calls '" + name +
             "', which an observer watches (it must see "
             "every call)";
      return {};
    }
    for (size_t i = 0; i < callees_.size(); ++i) {
      if (callees_[i].function == object ||
          (i == 0 && callees_[i].code == code)) {
        callees_[i].function = object;
        guards_->add_code(object, code);
        return {Kind::kFunction, static_cast<int32_t>(i)};
      }
    }
    callees_.push_back({object, code});
    guards_->add_code(object, code);
    return {Kind::kFunction, static_cast<int32_t>(callees_.size() - 1)};
  }
  *why = "'" + name + "' is a " + Py_TYPE(object)->tp_name +
         " (not in the compiled subset)";
  return {};
}

}  // namespace jit
