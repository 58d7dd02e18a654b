// host/runtime/c_function_names.cc - naming C functions as cProfile does
// (Modules/_lsprof.c: a builtin method is named by the repr of what its
// self's type holds under its name, else "<built-in method MODULE.NAME>").
#include "c_function_names.h"

#include "../compat/compat.h"
#include "ref.h"

namespace pyhooks {

namespace {

std::string utf8(PyObject* unicode) {
  if (unicode == nullptr || !PyUnicode_Check(unicode)) return {};
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(unicode, &size);
  if (data == nullptr) {
    PyErr_Clear();
    return {};
  }
  return std::string(data, static_cast<size_t>(size));
}

// The module name a builtin function records (a str or a module), "" if
// none.
std::string module_name(PyObject* module) {
  if (module == nullptr) return {};
  if (PyUnicode_Check(module)) return utf8(module);
  if (PyModule_Check(module)) {
    Ref<> name = Ref<>::steal(PyModule_GetNameObject(module));
    if (!name) PyErr_Clear();
    return utf8(name.get());
  }
  return {};
}

// repr(type(self).<name>) when the type's attribute is an object of a
// static type (whose repr is C code), as cProfile names a bound method.
std::string repr_of_type_attribute(PyObject* self, const char* name) {
  Ref<> key = Ref<>::steal(PyUnicode_FromString(name));
  if (!key) {
    PyErr_Clear();
    return {};
  }
  PyObject* attribute = _PyType_Lookup(Py_TYPE(self), key.get());  // borrowed
  if (attribute == nullptr ||
      (Py_TYPE(attribute)->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
    return {};  // absent, or its repr could run Python code
  }
  Ref<> repr = Ref<>::steal(PyObject_Repr(attribute));
  if (!repr) {
    PyErr_Clear();
    return {};
  }
  return utf8(repr.get());
}

std::string name_of(PyMethodDef* method, PyObject* self, PyObject* module) {
  std::string module_text = module_name(module);
  if (self == nullptr) {  // a builtin function without self
    if (!module_text.empty() && module_text != "builtins") {
      return "<" + module_text + "." + method->ml_name + ">";
    }
    return std::string("<") + method->ml_name + ">";
  }
  std::string repr = repr_of_type_attribute(self, method->ml_name);
  if (!repr.empty()) return repr;
  if (module != nullptr && PyUnicode_Check(module)) {
    return "<built-in method " + module_text + "." + method->ml_name + ">";
  }
  return std::string("<built-in method ") + method->ml_name + ">";
}

}  // namespace

const std::string* CFunctionNames::find(PyObject* callable, PyObject* self_arg,
                                        const void** key) {
  PyMethodDef* method;
  PyObject* self;
  PyObject* module;
  if (PyCFunction_Check(callable)) {
    auto* function = reinterpret_cast<PyCFunctionObject*>(callable);
    method = function->m_ml;
    self = function->m_self;
    module = function->m_module;
  } else {
    // A method descriptor is named as the method it binds to self_arg.
    method = reinterpret_cast<PyMethodDescrObject*>(callable)->d_method;
    self = self_arg;
    module = nullptr;
  }
  *key = method;
  auto found = names_.find(method);
  if (found != names_.end()) return &found->second;
  phc_saved_error saved{};
  phc_error_save(&saved);
  std::string name = name_of(method, self, module);
  phc_error_restore(&saved);
  try {
    return &names_.emplace(method, std::move(name)).first->second;
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

}  // namespace pyhooks
