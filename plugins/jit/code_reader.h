// plugins/jit/code_reader.h - a code object's original bytecode and tables,
// read through the Python API once per code object, decoded into the IR by
// the running minor's decoder.
#pragma once

#include <pyhooks/plugin.h>

#include <string>

#include "bytecode.h"
#include "ir.h"

namespace jit {

// Fills `out` from `code` (borrowed); "" or why the code is outside the
// subset before any type is looked at (generator, an instruction the IR
// does not have, *args, closure cells - in that order: the bytecode is
// decoded before any table is read, so that most declined code costs one
// pass over co_code). `opcode_names`: a reason names the instruction as
// the opcode module does (only for `stats`: a lookup per declined code).
std::string read_code(pyhooks_plugin* self, struct _object* code,
                      Decoder decoder, bool opcode_names, ir::Function* out);

}  // namespace jit
