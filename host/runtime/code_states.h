// host/runtime/code_states.h - per-code storage for plugins over exactly one
// co_extra index.
//
// CPython gives each interpreter 254 co_extra indices, never released, each
// with a freefunc that must stay callable forever. The host takes one index
// per interpreter, with one resident freefunc that tolerates NULL, and hands
// every plugin a pointer slot, optional zeroed inline bytes and per-code
// "disabled" bits in one allocation per code object (DESIGN section 5).
//
// Layout: a CodeState begins with a header and one block of entries, one per
// plugin known when the state was made. Plugin entry offsets are append-only
// (plugin indices are never reused), so an entry never moves; plugins loaded
// later get a chained overflow block, allocated the first time they touch the
// code. docs/internals/code-slots.md walks through it.
#pragma once

#include <Python.h>

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "../compat/compat.h"

namespace pyhooks {

class PluginInstance;

// One plugin's part of a code object's state.
struct SlotEntry {
  void* slot;  // the plugin's pointer (code_slot)
  uint32_t flags;
  uint32_t reserved;
  // `code_data_size` zeroed bytes follow, 16-byte aligned.
  static constexpr uint32_t kObserverDisabled = 1u << 0;
  static constexpr uint32_t kEvaluatorDisabled = 1u << 1;
  static constexpr uint32_t kTouched = 1u << 2;  // code_free is owed
  void* data() { return this + 1; }
};
static_assert(sizeof(SlotEntry) == 16);

struct alignas(16) CodeBlock {
  CodeBlock* next;
  uint32_t first_plugin;  // entries for plugins [first_plugin, end_plugin)
  uint32_t end_plugin;
};

class CodeStates;

struct alignas(16) CodeState {
  CodeStates* owner;
  const void* code_key;  // the code object's address; for plugins' lookups
  CodeState* prev;       // live list, so that a plugin leaving can release
  CodeState* next;       // its data in every live code object
  // Activations (all threads) that entered through sys.monitoring and still
  // owe some observer an exit event: while non-zero, the code's exit
  // locations must not be DISABLEd (monitoring_source.cc).
  uint32_t monitoring_open;
  // The chain generation in which every active observer had disabled this
  // code: the hook then skips observer dispatch for it (a new chain, with
  // perhaps a new observer, has another generation).
  uint32_t quiet_generation;
  // Per (code, chain generation), what observer dispatch would otherwise
  // work out per event: `observing` has bit i set for chain observer i unless
  // it disabled this code. Valid while `dispatch_generation` is the chain's
  // generation; 0 (no chain has it) forces a recompute, which is what any
  // change to an entry's disabled flags does (observer_dispatch.cc).
  uint32_t dispatch_generation;
  // The same for evaluators: bit i of `evaluating` for evaluator link i (the
  // first 64) unless it disabled this code (eval_frame_source.cc).
  uint32_t evaluate_generation;
  uint64_t observing;
  uint64_t evaluating;
  CodeBlock block;  // must stay last: entries follow it
};

class CodeStates {
 public:
  // Requests this interpreter's co_extra index. Returns nullptr (with a
  // Python exception set) if CPython has none left.
  static CodeStates* create(bool subinterpreter);

  // Declares plugin `index` (indices are consecutive from 0) with its inline
  // data size and free callback owner.
  void add_plugin(PluginInstance* plugin, uint32_t data_size);

  // The state of `code`, created on first use. nullptr if out of memory.
  // Inline: every dispatched frame asks, and it is nearly always a co_extra
  // read of a state this interpreter made.
  __attribute__((always_inline)) CodeState* get(PyObject* code) {
    if (!subinterpreter_) {
      auto* state = static_cast<CodeState*>(phc_code_get_extra(code, index_));
      if (state != nullptr && state->owner == this) {
        return state;
      }
    }
    return get_slow(code);
  }
  // The entry of plugin `index`; nullptr if out of memory.
  SlotEntry* entry(CodeState* state, uint32_t index) {
    if (index < state->block.end_plugin) {  // the common case: inline
      return entry_in(&state->block, index);
    }
    return overflow_entry(state, index);
  }

  // pyhooks_frame.code_data for plugin `index` (ABI 1.2): its inline bytes
  // in `state`, as api->code_data gives them, and marked touched (code_free
  // is owed). `frame_data_entry` is the plugin's
  // PluginInstance::frame_data_entry (non-zero). nullptr when `state` is
  // (out of memory).
  void* frame_data(CodeState* state, uint32_t index,
                   uint32_t frame_data_entry) {
    if (state == nullptr) {
      return nullptr;
    }
    SlotEntry* slot =
        index < state->block.end_plugin
            ? reinterpret_cast<SlotEntry*>(reinterpret_cast<char*>(state) +
                                           frame_data_entry)
            : overflow_entry(state, index);
    if (slot == nullptr) {
      return nullptr;
    }
    slot->flags |= SlotEntry::kTouched;
    return slot->data();
  }

  // The first pointer of plugin `index`'s inline bytes in `state` (a
  // trampoline evaluator's trampoline, ABI 1.2), read without marking the
  // code touched; nullptr when there is none yet.
  void* first_pointer(CodeState* state, uint32_t index,
                      uint32_t frame_data_entry) {
    SlotEntry* slot =
        index < state->block.end_plugin
            ? reinterpret_cast<SlotEntry*>(reinterpret_cast<char*>(state) +
                                           frame_data_entry)
            : overflow_entry(state, index);
    return slot != nullptr ? *static_cast<void**>(slot->data()) : nullptr;
  }

  // Calls `plugin`'s code_free for every live code object it touched, and
  // forgets its data (the plugin is shutting down or leaving).
  void release_plugin(PluginInstance* plugin);

  // Sets the order in which free callbacks run when a code object dies
  // (reverse chain order) - the host updates it whenever the chain changes.
  void set_free_order(std::vector<PluginInstance*> reverse_chain_order);

  // The interpreter is going away: plugins are shut down; states that are
  // still alive free only their memory when their code object dies, and the
  // last one frees this object.
  void detach();

 private:
  explicit CodeStates(Py_ssize_t index, bool subinterpreter);
  ~CodeStates() = default;

  static void free_code_state(void* state);  // the co_extra freefunc
  CodeState* get_slow(PyObject* code);
  CodeState* make_state(PyObject* code);
  CodeBlock* make_block(uint32_t first, uint32_t end);
  SlotEntry* entry_in(CodeBlock* block, uint32_t index) {
    return reinterpret_cast<SlotEntry*>(reinterpret_cast<char*>(block) +
                                        kBlockHeader + offsets_[index] -
                                        offsets_[block->first_plugin]);
  }
  SlotEntry* overflow_entry(CodeState* state, uint32_t index);
  // Entries start right after a block (16-aligned; in a CodeState the block
  // is the last member).
  static constexpr uint32_t kBlockHeader = (sizeof(CodeBlock) + 15) & ~15u;
  void release(CodeState* state);
  void unlink(CodeState* state);

  Py_ssize_t index_;
  bool subinterpreter_;
  bool attached_ = true;
  size_t live_ = 0;                // states not yet freed
  CodeState* head_ = nullptr;      // live list
  std::vector<uint32_t> offsets_;  // offsets_[i]: entry i's offset in a
                                   // block starting at plugin 0
  std::vector<PluginInstance*> plugins_;
  std::vector<PluginInstance*> free_order_;
  // Shared immortal code objects seen by a subinterpreter: co_extra may hold
  // another interpreter's state, so this interpreter keeps its own here.
  std::unordered_map<PyObject*, CodeState*> side_states_;
};

}  // namespace pyhooks
