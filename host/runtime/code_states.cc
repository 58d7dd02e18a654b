// host/runtime/code_states.cc - co_extra multiplexing (see code_states.h).
#include "code_states.h"

#include <cstdlib>
#include <cstring>

#include "../compat/compat.h"
#include "error_stash.h"
#include "plugin_instance.h"

namespace pyhooks {

namespace {

constexpr uint32_t align16(size_t size) {
  return static_cast<uint32_t>((size + 15) & ~size_t{15});
}

uint32_t entry_size(uint32_t data_size) {
  return sizeof(SlotEntry) + align16(data_size);
}

void call_code_free(PluginInstance* plugin, const void* code_key,
                    SlotEntry* entry) {
  auto code_free = plugin->raw().code_free;
  if (code_free != nullptr && plugin->initialized()) {
    // Runs inside any deallocation, perhaps while an exception propagates:
    // whatever the plugin raises is contained here (and reported once).
    PyThreadState* tstate = phc_current_tstate();
    ErrorStash stash(tstate);
    code_free(plugin->handle(), code_key, entry->slot, entry->data());
    if (tstate != nullptr && phc_error_pending(tstate)) {
      plugin->report_code_free_error();
    }
  }
  entry->slot = nullptr;
  entry->flags &= ~SlotEntry::kTouched;
}

}  // namespace

CodeStates::CodeStates(Py_ssize_t index, bool subinterpreter)
    : index_(index), subinterpreter_(subinterpreter) {
  offsets_.push_back(0);
}

CodeStates* CodeStates::create(bool subinterpreter) {
  Py_ssize_t index = phc_code_request_extra_index(free_code_state);
  if (index < 0) {
    PyErr_SetString(PyExc_RuntimeError,
                    "pyhooks: CPython has no co_extra index left in this "
                    "interpreter (another tool took all 254)");
    return nullptr;
  }
  return new CodeStates(index, subinterpreter);
}

void CodeStates::add_plugin(PluginInstance* plugin, uint32_t data_size) {
  uint32_t entry = offsets_.back();  // the new plugin's, in a first block
  plugins_.push_back(plugin);
  offsets_.push_back(entry + entry_size(data_size));
  // Only plugins that ask for it (bits their descriptor check accepts from
  // 1.2 libraries only) are handed their bytes in every frame; a trampoline
  // evaluator sets its trampoline there.
  if (plugin != nullptr && data_size > 0 &&
      (plugin->descriptor().capabilities &
       (PYHOOKS_CAP_FRAME_CODE_DATA | PYHOOKS_CAP_INTERPRETER_TRAMPOLINE))) {
    plugin->set_frame_data_entry(
        static_cast<uint32_t>(offsetof(CodeState, block)) + kBlockHeader +
        entry);
  }
}

void CodeStates::set_free_order(std::vector<PluginInstance*> order) {
  free_order_ = std::move(order);
}

CodeBlock* CodeStates::make_block(uint32_t first, uint32_t end) {
  size_t bytes = kBlockHeader + offsets_[end] - offsets_[first];
  auto* block = static_cast<CodeBlock*>(std::calloc(1, bytes));
  if (block != nullptr) {
    block->first_plugin = first;
    block->end_plugin = end;
  }
  return block;
}

CodeState* CodeStates::make_state(PyObject* code) {
  auto count = static_cast<uint32_t>(plugins_.size());
  size_t bytes = offsetof(CodeState, block) + kBlockHeader + offsets_[count];
  auto* state = static_cast<CodeState*>(std::calloc(1, bytes));
  if (state == nullptr) {
    return nullptr;
  }
  state->owner = this;
  state->code_key = code;
  state->block.first_plugin = 0;
  state->block.end_plugin = count;
  state->next = head_;
  if (head_ != nullptr) head_->prev = state;
  head_ = state;
  ++live_;
  return state;
}

CodeState* CodeStates::get_slow(PyObject* code) {
  bool shared_static = subinterpreter_ && phc_code_is_static(code);
  if (!shared_static) {
    auto* state = static_cast<CodeState*>(phc_code_get_extra(code, index_));
    if (state != nullptr && state->owner == this) {
      return state;
    }
    if (state == nullptr) {
      state = make_state(code);
      if (state == nullptr) {
        return nullptr;
      }
      if (phc_code_set_extra(code, index_, state) == 0) {
        return state;
      }
      PyErr_Clear();
      release(state);
      return nullptr;
    }
    // Another interpreter's state in a shared code object: keep ours aside.
  }
  auto it = side_states_.find(code);
  if (it != side_states_.end()) {
    return it->second;
  }
  CodeState* state = make_state(code);
  if (state != nullptr) {
    side_states_.emplace(code, state);
  }
  return state;
}

SlotEntry* CodeStates::overflow_entry(CodeState* state, uint32_t index) {
  CodeBlock* block = &state->block;
  while (true) {
    if (index < block->end_plugin) {
      return entry_in(block, index);
    }
    if (block->next == nullptr) {
      auto count = static_cast<uint32_t>(plugins_.size());
      if (index >= count) {
        return nullptr;
      }
      block->next = make_block(block->end_plugin, count);
      if (block->next == nullptr) {
        return nullptr;
      }
    }
    block = block->next;
  }
}

void CodeStates::release_plugin(PluginInstance* plugin) {
  uint32_t index = plugin->index();
  for (CodeState* state = head_; state != nullptr; state = state->next) {
    for (CodeBlock* block = &state->block; block != nullptr;
         block = block->next) {
      if (index >= block->first_plugin && index < block->end_plugin) {
        SlotEntry* slot = entry_in(block, index);
        if (slot->flags & SlotEntry::kTouched) {
          call_code_free(plugin, state->code_key, slot);
        }
        break;
      }
    }
  }
}

void CodeStates::unlink(CodeState* state) {
  if (state->prev != nullptr) state->prev->next = state->next;
  if (state->next != nullptr) state->next->prev = state->prev;
  if (head_ == state) head_ = state->next;
  state->prev = state->next = nullptr;
}

void CodeStates::release(CodeState* state) {
  if (attached_) {
    for (PluginInstance* plugin : free_order_) {
      for (CodeBlock* block = &state->block; block != nullptr;
           block = block->next) {
        uint32_t index = plugin->index();
        if (index >= block->first_plugin && index < block->end_plugin) {
          SlotEntry* slot = entry_in(block, index);
          if (slot->flags & SlotEntry::kTouched) {
            call_code_free(plugin, state->code_key, slot);
          }
          break;
        }
      }
    }
  }
  unlink(state);
  CodeBlock* block = state->block.next;
  while (block != nullptr) {
    CodeBlock* next = block->next;
    std::free(block);
    block = next;
  }
  std::free(state);
  --live_;
}

void CodeStates::free_code_state(void* raw) {
  if (raw == nullptr) {
    return;  // CPython calls every freefunc for every slot, set or not
  }
  auto* state = static_cast<CodeState*>(raw);
  CodeStates* owner = state->owner;
  owner->release(state);
  if (!owner->attached_ && owner->live_ == 0) {
    delete owner;
  }
}

void CodeStates::detach() {
  attached_ = false;
  free_order_.clear();
  plugins_.clear();
  for (auto& [code, state] : side_states_) {
    release(state);
  }
  side_states_.clear();
  if (live_ == 0) {
    delete this;
  }
}

}  // namespace pyhooks
