/* host/compat/call_memo.h - the call-site memo of recursion accounting
 * (phc_call_memo in compat.h), shared by py312.c and py313.c.
 *
 * Deciding whether plain CPython would have pushed a frame inline costs a
 * decode of the caller's instruction and a scan of its value stack
 * (value_stack.h). Most calls come again from the same instruction with the
 * callee's function in the same slot, so the memo keeps, per caller
 * instruction (direct-mapped on its address), the code unit found there and
 * the slot where the function was. A later call from that address whose
 * code unit is unchanged decodes to the same CALL with the same oparg (the
 * decode depends on the unit alone once INSTRUMENTED_LINE/INSTRUCTION,
 * whose originals live in side tables, are never remembered), so the full
 * test's answer there is "inline" exactly when its predicate holds at some
 * slot; checking the remembered slot with that same predicate gives "inline"
 * only when the full test would, and any failure falls back to the full
 * test. A dead code object whose address is reused therefore only misses.
 */
#ifndef PYHOOKS_HOST_COMPAT_CALL_MEMO_H
#define PYHOOKS_HOST_COMPAT_CALL_MEMO_H

#include <stdint.h>

#include "compat.h"

static inline phc_call_memo_entry* phc_call_memo_entry_for(phc_call_memo* memo,
                                                           const void* instr) {
  /* Code units are 2 bytes and a CALL with its caches takes 8: adjacent
   * call sites land in adjacent entries. */
  uintptr_t bits = (uintptr_t)instr;
  return &memo->entries[(bits >> 3) & (PHC_CALL_MEMO_ENTRIES - 1)];
}

static inline void phc_call_memo_remember(phc_call_memo* memo,
                                          const void* instr, uint16_t unit,
                                          int trailing, int slot) {
  phc_call_memo_entry* entry = phc_call_memo_entry_for(memo, instr);
  entry->instr = instr;
  entry->unit = unit;
  entry->trailing = (uint8_t)trailing;
  entry->slot = slot;
}

#endif /* PYHOOKS_HOST_COMPAT_CALL_MEMO_H */
