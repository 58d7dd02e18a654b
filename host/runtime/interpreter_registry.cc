// host/runtime/interpreter_registry.cc - a small fixed table, written under
// a mutex, read with atomics.
#include "interpreter_registry.h"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>

#include "interpreter_host.h"

namespace pyhooks {

namespace {

constexpr size_t kMaxInterpreters = 64;

struct Slot {
  std::atomic<PyInterpreterState*> interp{nullptr};
  // The host's context (DispatchContext::host names the host).
  std::atomic<DispatchContext*> dispatch{nullptr};
  int references = 0;  // guarded by table_mutex
};

std::array<Slot, kMaxInterpreters> table;
std::mutex table_mutex;

}  // namespace

std::atomic<PyInterpreterState*> InterpreterRegistry::first_interp_{nullptr};
std::atomic<DispatchContext*> InterpreterRegistry::first_dispatch_{nullptr};

DispatchContext* InterpreterRegistry::find_in_table(
    PyInterpreterState* interp) {
  for (Slot& slot : table) {
    if (slot.interp.load(std::memory_order_acquire) == interp) {
      return slot.dispatch.load(std::memory_order_acquire);
    }
  }
  return nullptr;
}

InterpreterHost* InterpreterRegistry::acquire() {
  PyInterpreterState* interp = PyInterpreterState_Get();
  {
    std::lock_guard<std::mutex> lock(table_mutex);
    for (Slot& slot : table) {
      if (slot.interp.load(std::memory_order_relaxed) == interp) {
        ++slot.references;
        return slot.dispatch.load(std::memory_order_relaxed)->host;
      }
    }
  }
  // Created outside the lock: creating a host runs Python code.
  bool is_main = interp == PyInterpreterState_Main();
  std::unique_ptr<InterpreterHost> host =
      InterpreterHost::create(interp, is_main);
  if (!host) {
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(table_mutex);
  for (Slot& slot : table) {
    if (slot.interp.load(std::memory_order_relaxed) == nullptr) {
      slot.references = 1;
      slot.dispatch.store(&host->dispatch(), std::memory_order_release);
      slot.interp.store(interp, std::memory_order_release);
      if (&slot == &table[0]) {
        first_dispatch_.store(&host->dispatch(), std::memory_order_release);
        first_interp_.store(interp, std::memory_order_release);
      }
      return host.release();
    }
  }
  PyErr_SetString(PyExc_RuntimeError,
                  "pyhooks: more than 64 interpreters use pyhooks at once");
  return nullptr;
}

void InterpreterRegistry::release(PyInterpreterState* interp) {
  InterpreterHost* doomed = nullptr;
  {
    std::lock_guard<std::mutex> lock(table_mutex);
    for (Slot& slot : table) {
      if (slot.interp.load(std::memory_order_relaxed) == interp) {
        if (--slot.references == 0) {
          doomed = slot.dispatch.load(std::memory_order_relaxed)->host;
          // Shut down before unpublishing: the hook may still be in the slot
          // of this interpreter until the host uninstalls it.
        }
        break;
      }
    }
  }
  if (doomed == nullptr) {
    return;
  }
  doomed->shutdown();
  std::lock_guard<std::mutex> lock(table_mutex);
  for (Slot& slot : table) {
    DispatchContext* dispatch = slot.dispatch.load(std::memory_order_relaxed);
    if (dispatch != nullptr && dispatch->host == doomed) {
      if (&slot == &table[0]) {
        first_interp_.store(nullptr, std::memory_order_release);
        first_dispatch_.store(nullptr, std::memory_order_release);
      }
      slot.interp.store(nullptr, std::memory_order_release);
      slot.dispatch.store(nullptr, std::memory_order_release);
    }
  }
  delete doomed;
}

}  // namespace pyhooks
