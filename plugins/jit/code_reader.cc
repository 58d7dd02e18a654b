// plugins/jit/code_reader.cc - see code_reader.h.
#include "code_reader.h"

#include "py_ref.h"

namespace jit {

namespace {

ir::Constant classify_constant(PyObject* value) {
  ir::Constant c;
  if (value == Py_None) {
    c.kind = ir::Constant::kNone;
  } else if (Py_IS_TYPE(value, &PyBool_Type)) {
    c.kind = ir::Constant::kBool;
    c.i = value == Py_True ? 1 : 0;
  } else if (Py_IS_TYPE(value, &PyLong_Type)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (overflow == 0 && !(v == -1 && PyErr_Occurred())) {
      c.kind = ir::Constant::kInt;
      c.i = v;
    }
    PyErr_Clear();
  } else if (Py_IS_TYPE(value, &PyFloat_Type)) {
    c.kind = ir::Constant::kFloat;
    c.f = PyFloat_AsDouble(value);
  }
  return c;
}

long int_attribute(PyObject* code, const char* name) {
  Ref value = Ref::steal(PyObject_GetAttrString(code, name));
  long result = value ? PyLong_AsLong(value.get()) : -1;
  if (PyErr_Occurred()) PyErr_Clear();
  return result;
}

// `opcode.opname[number]` for a decline reason when the opcode module is
// loaded already (never imported here: that would run Python code inside
// evaluate); the name is cosmetic, so failures are ignored.
std::string opcode_name(int number) {
  std::string name = "opcode " + std::to_string(number);
  Ref key = Ref::steal(PyUnicode_FromString("opcode"));
  Ref module = key ? Ref::steal(PyImport_GetModule(key.get())) : Ref();
  Ref names = module
                  ? Ref::steal(PyObject_GetAttrString(module.get(), "opname"))
                  : Ref();
  Ref item =
      names ? Ref::steal(PySequence_GetItem(names.get(), number)) : Ref();
  if (item && PyUnicode_Check(item.get())) {
    const char* text = PyUnicode_AsUTF8(item.get());
    if (text != nullptr && text[0] != '<') name = text;
  }
  PyErr_Clear();
  return name;
}

}  // namespace

std::string read_code(pyhooks_plugin* self, PyObject* code, Decoder decoder,
                      bool opcode_names, ir::Function* out) {
  pyhooks_code_info info{};
  info.struct_size = sizeof info;
  if (self->api->code_info(self, code, &info) != PYHOOKS_OK) {
    return "its code object cannot be read";
  }
  out->qualname = info.qualname ? info.qualname : "?";
  if (info.flags & PYHOOKS_FRAME_GENERATOR) return "it is a generator";
  // The instructions first: most code the jit sees (the standard library's,
  // methods) stops at an instruction outside the subset, and that answer
  // needs only co_code - the tables below are read for code that decodes.
  // co_code is the original bytecode: CACHE entries zeroed, never the
  // specialised copy the interpreter runs.
  Ref bytes = Ref::steal(PyObject_GetAttrString(code, "co_code"));
  if (!bytes || !PyBytes_Check(bytes.get())) {
    PyErr_Clear();
    return "its code object cannot be read";
  }
  DecodeError error =
      decoder(reinterpret_cast<const uint8_t*>(PyBytes_AsString(bytes.get())),
              static_cast<size_t>(PyBytes_Size(bytes.get())), out);
  if (!error.reason.empty()) {
    out->code = {};  // kept for the code's lifetime otherwise
    if (error.opcode >= 0) {
      std::string name = opcode_names
                             ? opcode_name(error.opcode)
                             : "opcode " + std::to_string(error.opcode);
      return "it uses " + error.reason + " (" + name + " at byte " +
             std::to_string(error.offset) + ")";
    }
    return "its bytecode has " + error.reason;
  }
  long flags = int_attribute(code, "co_flags");
  if (flags < 0 || (flags & (CO_VARARGS | CO_VARKEYWORDS)) != 0) {
    return "it takes *args or **kwargs";
  }
  if (int_attribute(code, "co_kwonlyargcount") != 0) {
    return "it has keyword-only parameters";
  }
  out->arg_count = info.arg_count;
  out->local_count = info.local_count;
  for (int32_t i = 0; i < info.local_count; ++i) {
    const char* name = nullptr;
    uint32_t kind = 0;
    if (self->api->code_local(self, code, i, &name, &kind) != PYHOOKS_OK) {
      return "its locals cannot be read";
    }
    if (kind & (PYHOOKS_LOCAL_CELL | PYHOOKS_LOCAL_FREE)) {
      return std::string("it has closure variables ('") + (name ? name : "?") +
             "')";
    }
    out->local_names.push_back(name ? name : "?");
  }
  Ref names = Ref::steal(PyObject_GetAttrString(code, "co_names"));
  Ref consts = Ref::steal(PyObject_GetAttrString(code, "co_consts"));
  if (!names || !consts || !PyTuple_Check(names.get()) ||
      !PyTuple_Check(consts.get())) {
    PyErr_Clear();
    return "its code object cannot be read";
  }
  for (Py_ssize_t i = 0; i < PyTuple_Size(names.get()); ++i) {
    const char* name = PyUnicode_AsUTF8(PyTuple_GetItem(names.get(), i));
    if (name == nullptr) {
      PyErr_Clear();
      return "a name that is not UTF-8";
    }
    out->names.push_back(name);
  }
  for (Py_ssize_t i = 0; i < PyTuple_Size(consts.get()); ++i) {
    out->consts.push_back(classify_constant(PyTuple_GetItem(consts.get(), i)));
  }
  return "";
}

}  // namespace jit
