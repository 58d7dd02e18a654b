// plugins/jit/native_heap.h - the objects one entry into compiled code owns,
// and the undo log that keeps a deopt exact.
//
// Compiled code may create lists (`[0.0] * n`) and store into lists
// (`out[i] = x`), the only side effects it has. A deopt reruns the frame in
// the interpreter from its start, so before it does, every store must be
// undone: the first store into a (list, index) of a list the call did not
// create keeps the item it replaces (a reference), and undo() puts those
// items back (the same objects: identity is kept). Lists the call created
// are invisible to the interpreter; they are released when the native frame
// that created them returns (release_to) or, on a deopt or an error, with the
// whole heap. commit() (a normal return, or an exception from a signal
// handler: the stores happened, as they would have in the interpreter)
// drops the kept items.
//
// Header-only: the backend's runtime helpers (pyhooks_jit_llvm.so) make it
// at the first list created or stored into in an entry, the plugin
// (pyhooks_jit.so) undoes and deletes it when the entry returns; an entry
// that touches no list pays one null check. Python API through functions only
// (py_ref.h's rule). Include after <Python.h> (or python_data.h).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace jit {

class NativeHeap {
 public:
  NativeHeap() = default;
  NativeHeap(const NativeHeap&) = delete;
  NativeHeap& operator=(const NativeHeap&) = delete;
  ~NativeHeap() { commit(); }

  // A list compiled code created (a new reference, now the heap's).
  void adopt(PyObject* list) {
    owned_.push_back(list);
    lists_[list].fresh = true;
    last_ = nullptr;
  }
  int64_t mark() const { return static_cast<int64_t>(owned_.size()); }
  // Releases the lists created since `mark` (their native frame returned).
  void release_to(int64_t mark) {
    while (static_cast<int64_t>(owned_.size()) > mark) {
      PyObject* list = owned_.back();
      owned_.pop_back();
      lists_.erase(list);
      Py_DecRef(list);
    }
    last_ = nullptr;
  }

  // Stores `item` (a new reference, stolen) at `index` (in range) of `list`,
  // keeping the replaced item if the interpreter could see it again.
  void store(PyObject* list, int64_t index, PyObject* item) {
    Entry& entry = entry_of(list);
    if (!entry.fresh) {
      if (entry.saved.size() <= static_cast<size_t>(index)) {
        entry.saved.resize(static_cast<size_t>(PyList_Size(list)), nullptr);
        if (entry.saved.size() <= static_cast<size_t>(index)) {
          entry.saved.resize(static_cast<size_t>(index) + 1, nullptr);
        }
      }
      PyObject*& saved = entry.saved[static_cast<size_t>(index)];
      if (saved == nullptr) {
        saved = PyList_GetItem(list, static_cast<Py_ssize_t>(index));
        Py_IncRef(saved);
      }
    }
    PyList_SetItem(list, static_cast<Py_ssize_t>(index), item);
  }

  // A deopt: every list the interpreter can see gets its replaced items
  // back; everything the call created is released.
  void undo() {
    for (auto& [list, entry] : lists_) {
      if (entry.fresh) continue;
      for (size_t i = 0; i < entry.saved.size(); ++i) {
        PyObject* saved = entry.saved[i];
        if (saved == nullptr) continue;
        if (static_cast<Py_ssize_t>(i) < PyList_Size(list)) {
          PyList_SetItem(list, static_cast<Py_ssize_t>(i), saved);
        } else {
          Py_DecRef(saved);  // a signal handler shrank the list
        }
      }
      entry.saved.clear();
    }
    commit();
  }

  // The stores stand: drops the kept items and the created lists.
  void commit() {
    for (auto& [list, entry] : lists_) {
      if (entry.fresh) continue;
      for (PyObject* saved : entry.saved) Py_DecRef(saved);
      Py_DecRef(list);
    }
    lists_.clear();
    last_ = nullptr;
    release_to(0);
  }

 private:
  struct Entry {
    bool fresh = false;  // created by this call: nothing to undo
    std::vector<PyObject*> saved;
  };
  Entry& entry_of(PyObject* list) {
    if (last_ != nullptr && last_list_ == list) return *last_;
    auto [it, inserted] = lists_.try_emplace(list);
    if (inserted) Py_IncRef(list);  // kept alive until undo or commit
    last_list_ = list;
    last_ = &it->second;
    return *last_;
  }

  std::vector<PyObject*> owned_;
  std::unordered_map<PyObject*, Entry> lists_;
  PyObject* last_list_ = nullptr;
  Entry* last_ = nullptr;
};

}  // namespace jit
