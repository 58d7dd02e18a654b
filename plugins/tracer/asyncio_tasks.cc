// plugins/tracer/asyncio_tasks.cc - the TaskSource that asks CPython's
// _asyncio module which Task is running (limited C API: one binary for
// 3.11-3.13; built into the plugin only, task_source.h).
//
// Per question: _asyncio._get_running_loop() (C, never raises, the loop of
// the calling thread or None) and a lookup in _asyncio._current_tasks, the
// {loop: task} dict that a Task's step updates before it runs its
// coroutine and after (3.11, 3.12 and 3.13 all keep it; 3.12+ also have a
// C current_task(), 3.11's is Python, so the dict is what all share). No
// Python code runs, and asyncio is never imported by the tracer: until the
// program imports it, each question is one dict lookup in sys.modules.
//
// A task is known by its address, checked with a weak reference (an
// address is reused once a task is freed; the task is never kept alive).
// Dead entries are swept whenever the map has doubled.
#include "task_source.h"

#define Py_LIMITED_API 0x030B0000
#include <Python.h>

// Py_None is a data symbol: bound when the library is mapped, even with
// RTLD_LAZY, so `pyhooks check`/`list` (no Python in the process) could not
// read the tracer's descriptor. Weak, it binds to null there and to the
// real object in a Python process, the only place this file's code runs
// (plugins/jit/python_data.h explains the same for the jit).
#pragma weak _Py_NoneStruct

#include <cstdint>
#include <unordered_map>

namespace tracer {

namespace {

// co_flags bits, the same in 3.11-3.13 (cpython/code.h, not limited API).
constexpr long kCoCoroutine = 0x0080;
constexpr long kCoIterableCoroutine = 0x0100;

// Saves the error state on construction and puts it back on destruction,
// clearing whatever happened in between.
class SavedError {
 public:
  SavedError() { PyErr_Fetch(&type_, &value_, &traceback_); }
  ~SavedError() {
    PyErr_Clear();
    PyErr_Restore(type_, value_, traceback_);
  }
  SavedError(const SavedError&) = delete;
  SavedError& operator=(const SavedError&) = delete;

 private:
  PyObject* type_;
  PyObject* value_;
  PyObject* traceback_;
};

class AsyncioTaskSource final : public TaskSource {
 public:
  ~AsyncioTaskSource() override {
    if (!Py_IsInitialized()) return;  // finalized: the objects are gone
    forget();
    Py_XDECREF(get_running_loop_);
    Py_XDECREF(current_tasks_);
  }

  bool is_coroutine(PyObject* code) override {
    SavedError saved;
    PyObject* flags = PyObject_GetAttrString(code, "co_flags");
    if (flags == nullptr) return false;
    long value = PyLong_AsLong(flags);
    Py_DECREF(flags);
    return value != -1 && (value & (kCoCoroutine | kCoIterableCoroutine));
  }

  uint64_t current_task(std::string* name) override {
    SavedError saved;
    if (!resolve()) return 0;
    PyObject* loop = PyObject_CallNoArgs(get_running_loop_);
    if (loop == nullptr) return 0;
    PyObject* task = loop == Py_None
                         ? nullptr
                         : PyDict_GetItemWithError(current_tasks_, loop);
    Py_DECREF(loop);
    if (task == nullptr || task == Py_None) return 0;  // borrowed
    return number_of(task, name);
  }

  void after_fork_child() override {
    forget();
    next_number_ = 0;
  }

 private:
  struct Known {
    PyObject* ref;  // a weak reference to the task (owned)
    uint64_t number;
  };

  // The _asyncio functions, once the program has imported it.
  bool resolve() {
    if (current_tasks_ != nullptr) return true;
    PyObject* modules = PySys_GetObject("modules");  // borrowed
    if (modules == nullptr || !PyDict_Check(modules)) return false;
    PyObject* module = PyDict_GetItemString(modules, "_asyncio");  // borrowed
    if (module == nullptr) return false;
    PyObject* loop = PyObject_GetAttrString(module, "_get_running_loop");
    PyObject* tasks = PyObject_GetAttrString(module, "_current_tasks");
    if (loop == nullptr || tasks == nullptr || !PyDict_Check(tasks)) {
      Py_XDECREF(loop);
      Py_XDECREF(tasks);
      return false;
    }
    get_running_loop_ = loop;
    current_tasks_ = tasks;
    return true;
  }

  uint64_t number_of(PyObject* task, std::string* name) {
    auto key = reinterpret_cast<uintptr_t>(task);
    auto found = known_.find(key);
    if (found != known_.end()) {
      if (PyWeakref_GetObject(found->second.ref) == task) {
        return found->second.number;
      }
      Py_DECREF(found->second.ref);  // that task is gone; a new one here
      known_.erase(found);
    }
    PyObject* ref = PyWeakref_NewRef(task, nullptr);
    if (ref == nullptr) return 0;  // not weakly referenceable: not tracked
    if (known_.size() >= sweep_at_) sweep();
    uint64_t number = ++next_number_;
    known_.emplace(key, Known{ref, number});
    *name = name_of(task);
    return number;
  }

  static std::string name_of(PyObject* task) {
    PyObject* text = PyObject_CallMethod(task, "get_name", nullptr);
    std::string name;
    if (text != nullptr && PyUnicode_Check(text)) {
      Py_ssize_t size = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(text, &size);
      if (utf8 != nullptr) name.assign(utf8, static_cast<size_t>(size));
    }
    Py_XDECREF(text);
    PyErr_Clear();
    return name;
  }

  void sweep() {
    for (auto at = known_.begin(); at != known_.end();) {
      if (PyWeakref_GetObject(at->second.ref) == Py_None) {
        Py_DECREF(at->second.ref);
        at = known_.erase(at);
      } else {
        ++at;
      }
    }
    sweep_at_ = known_.size() * 2 > 1024 ? known_.size() * 2 : 1024;
  }

  void forget() {
    for (auto& entry : known_) Py_DECREF(entry.second.ref);
    known_.clear();
  }

  PyObject* get_running_loop_ = nullptr;  // owned
  PyObject* current_tasks_ = nullptr;     // owned
  std::unordered_map<uintptr_t, Known> known_;
  size_t sweep_at_ = 1024;
  uint64_t next_number_ = 0;
};

}  // namespace

std::unique_ptr<TaskSource> make_asyncio_task_source() {
  return std::make_unique<AsyncioTaskSource>();
}

}  // namespace tracer
