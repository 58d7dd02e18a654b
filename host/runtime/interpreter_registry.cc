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
  std::atomic<InterpreterHost*> host{nullptr};
  int references = 0;  // guarded by table_mutex
};

std::array<Slot, kMaxInterpreters> table;
std::mutex table_mutex;

}  // namespace

std::atomic<PyInterpreterState*> InterpreterRegistry::first_interp_{nullptr};
std::atomic<InterpreterHost*> InterpreterRegistry::first_host_{nullptr};

InterpreterHost* InterpreterRegistry::find_in_table(
    PyInterpreterState* interp) {
  for (Slot& slot : table) {
    if (slot.interp.load(std::memory_order_acquire) == interp) {
      return slot.host.load(std::memory_order_acquire);
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
        return slot.host.load(std::memory_order_relaxed);
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
      slot.host.store(host.get(), std::memory_order_release);
      slot.interp.store(interp, std::memory_order_release);
      if (&slot == &table[0]) {
        first_host_.store(host.get(), std::memory_order_release);
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
          doomed = slot.host.load(std::memory_order_relaxed);
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
    if (slot.host.load(std::memory_order_relaxed) == doomed) {
      if (&slot == &table[0]) {
        first_interp_.store(nullptr, std::memory_order_release);
        first_host_.store(nullptr, std::memory_order_release);
      }
      slot.interp.store(nullptr, std::memory_order_release);
      slot.host.store(nullptr, std::memory_order_release);
    }
  }
  delete doomed;
}

}  // namespace pyhooks
