// plugins/jit/bytecode_common.cc - the version-neutral half of decoding:
// walking code units and resolving jump targets to IR indices; and the
// choice, once, of the per-minor files this build holds.
#include <algorithm>

#include "bytecode.h"
#include "monitoring.h"
#include "thread_state.h"

namespace jit {

bool UnitReader::next(CodeUnit* unit) {
  while (pos_ + 1 < size_ && code_[pos_] == cache_) pos_ += 2;
  if (pos_ + 1 >= size_) return false;
  unit->offset = static_cast<int>(pos_);
  uint32_t oparg = 0;
  while (pos_ + 1 < size_ && code_[pos_] == ext_) {
    oparg = (oparg | code_[pos_ + 1]) << 8;
    pos_ += 2;
  }
  if (pos_ + 1 >= size_) return false;
  unit->op_offset = static_cast<int>(pos_);
  unit->opcode = code_[pos_];
  unit->oparg = oparg | code_[pos_ + 1];
  pos_ += 2;
  // co_code holds CACHE (opcode 0 on every minor) in each inline cache
  // entry, and no real instruction is CACHE: the next non-CACHE unit is
  // where the instruction's relative jumps count from.
  size_t after = pos_;
  while (after + 1 < size_ && code_[after] == cache_) after += 2;
  unit->next_offset = static_cast<int>(after);
  return true;
}

void OpcodeBuilder::emit_to(ir::Op op, int target_offset, int32_t arg,
                            int skip) {
  ir::Instr instr;
  instr.op = op;
  instr.arg = arg;
  if (target_offset >= 0) pending_.push_back({size(), target_offset, skip});
  out_->code.push_back(instr);
}

std::string OpcodeBuilder::finish() {
  for (const Pending& jump : pending_) {
    auto found = std::find_if(
        unit_offsets_.begin(), unit_offsets_.end(),
        [&](const auto& unit) { return unit.first == jump.target_offset; });
    if (found == unit_offsets_.end()) {
      return "a jump to byte offset " + std::to_string(jump.target_offset) +
             " that starts no instruction";
    }
    int32_t target = found->second + jump.skip;
    if (target < 0 || target > size()) return "a jump out of the code";
    out_->code[jump.index].target = target;
  }
  return "";
}

Decoder decoder_for_minor(int minor) {
  switch (minor) {
#ifdef PYHOOKS_JIT_HAS_311
    case 11:
      return &decode_311;
#endif
#ifdef PYHOOKS_JIT_HAS_312
    case 12:
      return &decode_312;
#endif
#ifdef PYHOOKS_JIT_HAS_313
    case 13:
      return &decode_313;
#endif
    default:
      return nullptr;
  }
}

ForeignToolFn foreign_tool_for_minor(int minor) {
  switch (minor) {
#ifdef PYHOOKS_JIT_HAS_312
    case 12:
      return &pyhooks_jit_foreign_tool_312;
#endif
#ifdef PYHOOKS_JIT_HAS_313
    case 13:
      return &pyhooks_jit_foreign_tool_313;
#endif
    default:
      return nullptr;  // 3.11: no sys.monitoring
  }
}

ThreadFactsFn thread_facts_for_minor(int minor) {
  switch (minor) {
#ifdef PYHOOKS_JIT_HAS_311
    case 11:
      return &thread_facts_311;
#endif
#ifdef PYHOOKS_JIT_HAS_312
    case 12:
      return &thread_facts_312;
#endif
#ifdef PYHOOKS_JIT_HAS_313
    case 13:
      return &thread_facts_313;
#endif
    default:
      return nullptr;
  }
}

}  // namespace jit
