// plugins/jit/bytecode.h - per-minor bytecode decoding into the IR.
//
// Each CPython minor has its own decoder file (bytecode_311.cc, _312.cc,
// _313.cc), compiled against that minor's opcode.h: the opcode numbers, the
// jump encodings, CALL/PRECALL, COMPARE_OP's oparg, TO_BOOL, FOR_ITER's exit
// and the superinstructions differ there and nowhere else. They read the
// original bytecode (co_code: CACHE entries zeroed, no specialisation), so
// CACHE units are skipped wherever they are and a jump's base is the next
// instruction after its caches. OpcodeBuilder is the shared half: it
// collects instructions keyed by byte offset and resolves jump targets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ir.h"

namespace jit {

struct DecodeError {
  int opcode = -1;     // the instruction that stopped decoding, or -1
  int offset = 0;      // its byte offset
  std::string reason;  // "" when decoding succeeded
};

using Decoder = DecodeError (*)(const uint8_t* code, size_t size,
                                ir::Function* out);

DecodeError decode_311(const uint8_t* code, size_t size, ir::Function* out);
DecodeError decode_312(const uint8_t* code, size_t size, ir::Function* out);
DecodeError decode_313(const uint8_t* code, size_t size, ir::Function* out);

// The decoder for a CPython minor (11, 12, 13) this build holds, or nullptr.
Decoder decoder_for_minor(int minor);

// One code unit of co_code, with its EXTENDED_ARG prefix folded in.
struct CodeUnit {
  int offset;     // byte offset of the unit (of its first EXTENDED_ARG)
  int op_offset;  // byte offset of the opcode itself
  int opcode;
  uint32_t oparg;
  int next_offset;  // byte offset after its CACHE entries
};

// Walks co_code unit by unit; `cache_opcode` and `extended_arg` are the
// minor's numbers for CACHE and EXTENDED_ARG.
class UnitReader {
 public:
  UnitReader(const uint8_t* code, size_t size, int cache_opcode,
             int extended_arg)
      : code_(code), size_(size), cache_(cache_opcode), ext_(extended_arg) {}
  bool next(CodeUnit* unit);

 private:
  const uint8_t* code_;
  size_t size_;
  size_t pos_ = 0;
  int cache_, ext_;
};

// Collects IR instructions with byte-offset jump targets, then resolves them.
class OpcodeBuilder {
 public:
  explicit OpcodeBuilder(ir::Function* out) : out_(out) {}
  // Starts the instructions of the unit at `offset`.
  void begin_unit(int offset) { unit_offsets_.push_back({offset, size()}); }
  void emit(ir::Op op, int32_t arg = 0) { emit_to(op, -1, arg); }
  // A jump (or FOR_ITER) whose target is byte offset `target_offset`,
  // moved on by `skip` IR instructions (FOR_ITER's exit past END_FOR).
  void emit_to(ir::Op op, int target_offset, int32_t arg = 0, int skip = 0);
  // Resolves targets; "" or why not.
  std::string finish();
  int32_t size() const { return static_cast<int32_t>(out_->code.size()); }

 private:
  struct Pending {
    int32_t index;
    int target_offset;
    int skip;
  };
  ir::Function* out_;
  std::vector<std::pair<int, int32_t>> unit_offsets_;
  std::vector<Pending> pending_;
};

}  // namespace jit
