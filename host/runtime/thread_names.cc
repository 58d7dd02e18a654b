// host/runtime/thread_names.cc - resolving and caching thread names.
#include "thread_names.h"

#include "../compat/compat.h"
#include "error_stash.h"
#include "ref.h"

namespace pyhooks {

namespace {

// The thread state of `interp` running thread `thread_id`; the calling
// thread's own is found without walking the list.
PyThreadState* state_of(PyInterpreterState* interp, uint64_t thread_id) {
  PyThreadState* current = phc_current_tstate();
  if (phc_tstate_interp(current) == interp &&
      phc_tstate_thread_id(current) == thread_id) {
    return current;
  }
  for (PyThreadState* state = PyInterpreterState_ThreadHead(interp);
       state != nullptr; state = PyThreadState_Next(state)) {
    if (phc_tstate_thread_id(state) == thread_id) {
      return state;
    }
  }
  return nullptr;
}

}  // namespace

const ThreadNames::Thread* ThreadNames::find(PyInterpreterState* interp,
                                             uint64_t thread_id) {
  PyThreadState* state = state_of(interp, thread_id);
  if (state == nullptr) {
    return nullptr;
  }
  uint64_t state_id = phc_tstate_unique_id(state);
  auto found = threads_.find(thread_id);
  if (found != threads_.end() && found->second.state_id == state_id &&
      *found->second.name != '\0') {
    return &found->second;
  }
  Thread& thread = threads_[thread_id];
  thread.state_id = state_id;
  thread.native_id = phc_tstate_native_id(state);
  thread.name = resolve_name(thread_id);  // "" is retried next time
  return &thread;
}

const char* ThreadNames::resolve_name(uint64_t thread_id) {
  // threading._active[ident]._name, if threading was imported; the host
  // never imports it for the program.
  ErrorStash stash;  // whatever fails here only leaves the name unknown
  const char* name = "";
  Ref<> module_name = Ref<>::steal(PyUnicode_FromString("threading"));
  Ref<> threading = Ref<>::steal(
      module_name ? PyImport_GetModule(module_name.get()) : nullptr);
  Ref<> active = Ref<>::steal(
      threading ? PyObject_GetAttrString(threading.get(), "_active") : nullptr);
  Ref<> key = Ref<>::steal(PyLong_FromUnsignedLongLong(thread_id));
  BorrowedRef<> thread = (active && key && PyDict_Check(active.get()))
                             ? PyDict_GetItemWithError(active.get(), key.get())
                             : nullptr;
  Ref<> text =
      Ref<>::steal(thread ? PyObject_GetAttrString(thread, "_name") : nullptr);
  const char* utf8 = (text && PyUnicode_Check(text.get()))
                         ? PyUnicode_AsUTF8(text.get())
                         : nullptr;
  if (utf8 != nullptr) {
    name = names_.insert(utf8).first->c_str();
  }
  return name;
}

}  // namespace pyhooks
