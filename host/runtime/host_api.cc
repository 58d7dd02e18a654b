// host/runtime/host_api.cc - the pyhooks_host_api functions.
//
// Every function validates what it can (a plugin's mistake returns an error
// code or NULL, never crashes the host) and states reference ownership as the
// header does.
#include "host_api.h"

#include <time.h>

#include <cstddef>
#include <cstring>

#include <string>

#include "../compat/compat.h"
#include "code_states.h"
#include "eval_frame_source.h"
#include "frame_view.h"
#include "interpreter_host.h"
#include "perf_map.h"
#include "plugin_instance.h"
#include "report.h"

#ifndef PYHOOKS_VERSION
#error "the build defines PYHOOKS_VERSION"
#endif

namespace pyhooks {

namespace {

PluginInstance* instance(pyhooks_plugin* self) {
  return self == nullptr ? nullptr : PluginInstance::from(self);
}

const FrameView* live_view(const pyhooks_frame* frame) {
  if (frame == nullptr) {
    return nullptr;
  }
  const FrameView* view = FrameView::from(frame);
  return (view->entering && view->frame != nullptr) ? view : nullptr;
}

const char* text(PyObject* unicode) {
  if (unicode == nullptr || !PyUnicode_Check(unicode)) {
    return "";
  }
  const char* value = PyUnicode_AsUTF8(unicode);
  if (value == nullptr) {
    PyErr_Clear();
    return "";
  }
  return value;
}

// ---- logging ------------------------------------------------------------

void api_log(pyhooks_plugin* self, int32_t level, const char* message) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || message == nullptr) {
    return;
  }
  if (level >= PYHOOKS_LOG_ERROR && plugin->capturing_errors()) {
    plugin->captured_errors().push_back(message);  // reported by init_plugin
    return;
  }
  std::string line = "plugin '" + plugin->name() + "': " + message;
  if (level >= PYHOOKS_LOG_ERROR) {
    report_error(line);
  } else if (level == PYHOOKS_LOG_WARNING) {
    report_warning(line);
  } else {
    report_info(line);
  }
}

// ---- options ------------------------------------------------------------

pyhooks_status find_option(pyhooks_plugin* self, const char* name, int32_t type,
                           const OptionValue** out) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || name == nullptr) {
    return PYHOOKS_E_INVALID;
  }
  const OptionSpec* spec = plugin->descriptor().find_option(name);
  if (spec == nullptr) {
    return PYHOOKS_E_NOT_FOUND;
  }
  if (spec->type != type) {
    return PYHOOKS_E_TYPE;
  }
  *out = plugin->options().find(name);
  return *out == nullptr ? PYHOOKS_E_NOT_FOUND : PYHOOKS_OK;
}

pyhooks_status api_option_string(pyhooks_plugin* self, const char* name,
                                 const char** out) {
  const OptionValue* value = nullptr;
  pyhooks_status status =
      find_option(self, name, PYHOOKS_OPTION_STRING, &value);
  if (status == PYHOOKS_OK && out != nullptr) *out = value->text.c_str();
  return status;
}

pyhooks_status api_option_int(pyhooks_plugin* self, const char* name,
                              int64_t* out) {
  const OptionValue* value = nullptr;
  pyhooks_status status = find_option(self, name, PYHOOKS_OPTION_INT, &value);
  if (status == PYHOOKS_OK && out != nullptr) *out = value->integer;
  return status;
}

pyhooks_status api_option_float(pyhooks_plugin* self, const char* name,
                                double* out) {
  const OptionValue* value = nullptr;
  pyhooks_status status = find_option(self, name, PYHOOKS_OPTION_FLOAT, &value);
  if (status == PYHOOKS_OK && out != nullptr) *out = value->number;
  return status;
}

pyhooks_status api_option_bool(pyhooks_plugin* self, const char* name,
                               int32_t* out) {
  const OptionValue* value = nullptr;
  pyhooks_status status = find_option(self, name, PYHOOKS_OPTION_BOOL, &value);
  if (status == PYHOOKS_OK && out != nullptr) *out = value->boolean ? 1 : 0;
  return status;
}

pyhooks_status api_option_list_count(pyhooks_plugin* self, const char* name,
                                     uint32_t* count) {
  const OptionValue* value = nullptr;
  pyhooks_status status =
      find_option(self, name, PYHOOKS_OPTION_STRING_LIST, &value);
  if (status == PYHOOKS_OK && count != nullptr) {
    *count = static_cast<uint32_t>(value->items.size());
  }
  return status;
}

pyhooks_status api_option_list_item(pyhooks_plugin* self, const char* name,
                                    uint32_t index, const char** out) {
  const OptionValue* value = nullptr;
  pyhooks_status status =
      find_option(self, name, PYHOOKS_OPTION_STRING_LIST, &value);
  if (status != PYHOOKS_OK) return status;
  if (index >= value->items.size()) return PYHOOKS_E_NOT_FOUND;
  if (out != nullptr) *out = value->items[index].c_str();
  return PYHOOKS_OK;
}

// ---- code objects -------------------------------------------------------

// The size of pyhooks_code_info in ABI 1.0: every 1.x plugin passes at
// least this much (plugin ABI policy HOST-13).
constexpr size_t kCodeInfoSize10 =
    offsetof(pyhooks_code_info, flags) + sizeof(pyhooks_code_info::flags);

// True if `member` of the struct at `out` lies inside the struct_size its
// plugin declared: members newer than the plugin's header are not written.
template <typename Struct, typename Member>
bool fits(const Struct* out, Member Struct::*member) {
  size_t offset = reinterpret_cast<const char*>(&(out->*member)) -
                  reinterpret_cast<const char*>(out);
  return out->struct_size >= offset + sizeof(Member);
}

pyhooks_status api_code_info(pyhooks_plugin*, struct _object* code,
                             pyhooks_code_info* out) {
  if (code == nullptr || !PyCode_Check(code) || out == nullptr ||
      out->struct_size < kCodeInfoSize10) {
    return PYHOOKS_E_INVALID;
  }
  auto* co = reinterpret_cast<PyCodeObject*>(code);
  out->name = text(co->co_name);
  out->qualname = text(co->co_qualname);
  out->filename = text(co->co_filename);
  out->first_line = co->co_firstlineno;
  out->flags = phc_code_is_generator(code) ? PYHOOKS_FRAME_GENERATOR : 0;
  if (fits(out, &pyhooks_code_info::arg_count)) {
    out->arg_count = phc_code_arg_count(code);
  }
  if (fits(out, &pyhooks_code_info::local_count)) {
    out->local_count = phc_code_local_count(code);
  }
  return PYHOOKS_OK;
}

SlotEntry* touch_entry(pyhooks_plugin* self, struct _object* code) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || code == nullptr || !PyCode_Check(code)) {
    return nullptr;
  }
  CodeStates& states = plugin->host()->code_states();
  CodeState* state = states.get(code);
  SlotEntry* entry = state ? states.entry(state, plugin->index()) : nullptr;
  if (entry != nullptr) {
    entry->flags |= SlotEntry::kTouched;
  }
  return entry;
}

void** api_code_slot(pyhooks_plugin* self, struct _object* code) {
  SlotEntry* entry = touch_entry(self, code);
  return entry ? &entry->slot : nullptr;
}

void* api_code_data(pyhooks_plugin* self, struct _object* code) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || plugin->descriptor().code_data_size == 0) {
    return nullptr;
  }
  SlotEntry* entry = touch_entry(self, code);
  return entry ? entry->data() : nullptr;
}

void api_code_disable(pyhooks_plugin* self, struct _object* code) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || code == nullptr || !PyCode_Check(code)) {
    return;
  }
  CodeStates& states = plugin->host()->code_states();
  CodeState* state = states.get(code);
  if (SlotEntry* entry =
          state ? states.entry(state, plugin->index()) : nullptr) {
    entry->flags |=
        SlotEntry::kObserverDisabled | SlotEntry::kEvaluatorDisabled;
    state->dispatch_generation = 0;  // recompute who observes this code
    state->evaluate_generation = 0;  // and who evaluates it
  }
}

int32_t api_code_is_observed(pyhooks_plugin* self, struct _object* code) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || code == nullptr || !PyCode_Check(code)) {
    return 0;
  }
  InterpreterHost* host = plugin->host();
  CodeStates& states = host->code_states();
  CodeState* state = states.get(code);
  for (PluginInstance* observer : host->chain()->observers) {
    if (!observer->active()) continue;
    SlotEntry* entry = state ? states.entry(state, observer->index()) : nullptr;
    if (entry == nullptr || !(entry->flags & SlotEntry::kObserverDisabled)) {
      return 1;
    }
  }
  return 0;
}

// ---- frames -------------------------------------------------------------

int32_t api_frame_line(const pyhooks_frame* frame) {
  const FrameView* view = live_view(frame);
  if (view == nullptr) return -1;
  if (view->starting) {
    return reinterpret_cast<PyCodeObject*>(view->pub.code)->co_firstlineno;
  }
  return phc_frame_line(view->frame);
}

struct _object* api_frame_function(const pyhooks_frame* frame) {
  const FrameView* view = live_view(frame);
  return view ? phc_frame_function(view->frame) : nullptr;
}

int32_t api_frame_arg_count(const pyhooks_frame* frame) {
  const FrameView* view = live_view(frame);
  return view ? phc_code_arg_count(view->pub.code) : -1;
}

struct _object* api_frame_arg(const pyhooks_frame* frame, int32_t index) {
  const FrameView* view = live_view(frame);
  if (view == nullptr || index < 0 ||
      index >= phc_code_arg_count(view->pub.code)) {
    return nullptr;
  }
  return phc_frame_local(view->frame, index, view->started);
}

struct _object* api_frame_globals(const pyhooks_frame* frame) {
  const FrameView* view = live_view(frame);
  return view ? phc_frame_globals(view->frame) : nullptr;
}

// ---- ABI 1.1: locals, builtins, threads ---------------------------------

struct _object* api_frame_builtins(const pyhooks_frame* frame) {
  const FrameView* view = live_view(frame);
  return view ? phc_frame_builtins(view->frame) : nullptr;
}

// A free variable's value before the frame's prologue copied it in (the
// hook's START): the function's closure cell holds it already.
PyObject* free_variable_from_closure(const FrameView& view, int32_t index) {
  PyObject* function = phc_frame_function(view.frame);
  PyObject* closure = function ? PyFunction_GetClosure(function) : nullptr;
  auto* co = reinterpret_cast<PyCodeObject*>(view.pub.code);
  Py_ssize_t cell = index - (co->co_nlocalsplus - co->co_nfreevars);
  if (closure == nullptr || !PyTuple_Check(closure) || cell < 0 ||
      cell >= PyTuple_GET_SIZE(closure)) {
    return nullptr;
  }
  return PyCell_GET(PyTuple_GET_ITEM(closure, cell));
}

pyhooks_status api_frame_local(const pyhooks_frame* frame, int32_t index,
                               struct _object** out) {
  const FrameView* view = live_view(frame);
  if (view == nullptr || out == nullptr || index < 0 ||
      index >= phc_code_local_count(view->pub.code)) {
    return PYHOOKS_E_INVALID;
  }
  PyObject* value = phc_frame_local(view->frame, index, view->started);
  if (phc_code_local_kind(view->pub.code, index) & PHC_LOCAL_FREE) {
    // Every source gives the variable's value, never the cell itself.
    value = view->started && value != nullptr && PyCell_Check(value)
                ? PyCell_GET(value)
                : free_variable_from_closure(*view, index);
  }
  *out = value;
  return PYHOOKS_OK;
}

pyhooks_status api_code_local(pyhooks_plugin*, struct _object* code,
                              int32_t index, const char** name,
                              uint32_t* kind) {
  if (code == nullptr || !PyCode_Check(code) || index < 0 ||
      index >= phc_code_local_count(code)) {
    return PYHOOKS_E_INVALID;
  }
  if (name != nullptr) *name = text(phc_code_local_name(code, index));
  if (kind != nullptr) {
    int phc_kind = phc_code_local_kind(code, index);
    *kind = ((phc_kind & PHC_LOCAL_CELL) ? PYHOOKS_LOCAL_CELL : 0u) |
            ((phc_kind & PHC_LOCAL_FREE) ? PYHOOKS_LOCAL_FREE : 0u);
  }
  return PYHOOKS_OK;
}

pyhooks_status api_thread_info(pyhooks_plugin* self, uint64_t thread_id,
                               pyhooks_thread_info* out) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || out == nullptr ||
      out->struct_size < sizeof(pyhooks_thread_info)) {
    return PYHOOKS_E_INVALID;
  }
  InterpreterHost* host = plugin->host();
  const ThreadNames::Thread* thread =
      host->thread_names().find(host->interp(), thread_id);
  if (thread == nullptr) {
    return PYHOOKS_E_NOT_FOUND;
  }
  out->native_id = thread->native_id;
  out->name = thread->name;
  return PYHOOKS_OK;
}

// ---- evaluators ---------------------------------------------------------

struct _object* api_eval_next(pyhooks_plugin* self, pyhooks_frame* frame) {
  PluginInstance* plugin = instance(self);
  FrameView* view = frame ? FrameView::from(frame) : nullptr;
  if (plugin == nullptr || view == nullptr || view->frame == nullptr ||
      view->consumed || !view->entering) {
    PyErr_Format(PyExc_SystemError,
                 "pyhooks: plugin '%s' called eval_next outside evaluate or "
                 "twice for one frame",
                 plugin ? plugin->name().c_str() : "?");
    return nullptr;
  }
  return view->dispatch->eval_source->eval_next(*view);
}

// ---- clocks -------------------------------------------------------------

uint64_t read_clock(clockid_t clock) {
  struct timespec now;
  clock_gettime(clock, &now);
  return static_cast<uint64_t>(now.tv_sec) * 1000000000u +
         static_cast<uint64_t>(now.tv_nsec);
}

uint64_t api_clock_ns() { return read_clock(CLOCK_MONOTONIC); }
uint64_t api_thread_cpu_ns() { return read_clock(CLOCK_THREAD_CPUTIME_ID); }

// ---- native profilers (ABI 1.1) ------------------------------------------

pyhooks_status api_perf_map_write(pyhooks_plugin* self, const void* address,
                                  uint32_t size, const char* name) {
  if (instance(self) == nullptr) return PYHOOKS_E_INVALID;
  switch (perf_map::write_entry(address, size, name)) {
    case perf_map::WriteResult::kOk:
      return PYHOOKS_OK;
    case perf_map::WriteResult::kInvalid:
      return PYHOOKS_E_INVALID;
    case perf_map::WriteResult::kFailed:
      break;
  }
  return PYHOOKS_ERROR;
}

// ---- C-call events (ABI 1.1) ----------------------------------------------

bool is_c_call_event(pyhooks_event event) {
  return event == PYHOOKS_EVENT_C_CALL || event == PYHOOKS_EVENT_C_RETURN ||
         event == PYHOOKS_EVENT_C_RAISE;
}

pyhooks_status api_event_supported(pyhooks_plugin* self, pyhooks_event event) {
  if (instance(self) == nullptr || event < 0 || event >= PYHOOKS_EVENT_COUNT) {
    return PYHOOKS_E_INVALID;
  }
  // C calls come from sys.monitoring only (3.12+); see HOST-21.
  return is_c_call_event(event) && !phc_has_monitoring() ? PYHOOKS_E_UNSUPPORTED
                                                         : PYHOOKS_OK;
}

pyhooks_status api_c_function_name(pyhooks_plugin* self,
                                   const pyhooks_frame* frame,
                                   const char** name, const void** key) {
  if (!phc_has_monitoring()) return PYHOOKS_E_UNSUPPORTED;
  if (instance(self) == nullptr || frame == nullptr ||
      frame->struct_size < offsetof(pyhooks_frame, callable) + sizeof(void*) ||
      frame->callable == nullptr) {
    return PYHOOKS_E_INVALID;
  }
  const FrameView* view = FrameView::from(frame);
  const void* function_key = nullptr;
  const std::string* text = view->dispatch->host->c_function_names().find(
      frame->callable, view->c_self, &function_key);
  if (text == nullptr) return PYHOOKS_E_NOMEM;
  if (name != nullptr) *name = text->c_str();
  if (key != nullptr) *key = function_key;
  return PYHOOKS_OK;
}

// ---- values (ABI 1.1) ------------------------------------------------------

// Copies `text` into out[0, size) with a NUL, cut at a UTF-8 boundary.
void copy_utf8(const char* text, size_t length, char* out, uint32_t size) {
  size_t room = size - 1;
  if (length > room) {
    length = room;
    while (length > 0 &&
           (static_cast<unsigned char>(text[length]) & 0xC0) == 0x80) {
      --length;  // text[length] continues a character: cut before it
    }
  }
  std::memcpy(out, text, length);
  out[length] = '\0';
}

pyhooks_status api_value_type_name(pyhooks_plugin* self, struct _object* value,
                                   char* out, uint32_t size) {
  if (instance(self) == nullptr || value == nullptr || out == nullptr ||
      size == 0) {
    return PYHOOKS_E_INVALID;
  }
  PyTypeObject* type = Py_TYPE(value);
  if (!(type->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
    // A static type's tp_name is "module.Name", or "Name" for builtins.
    copy_utf8(type->tp_name, std::strlen(type->tp_name), out, size);
    return PYHOOKS_OK;
  }
  // A class: __module__ and __qualname__ as stored, read without attribute
  // look-up (no descriptor, no metaclass code).
  auto* heap = reinterpret_cast<PyHeapTypeObject*>(type);
  // An exception may be pending (an UNWIND): keep it, and drop only what
  // these reads raise (a name that does not encode: tp_name then).
  phc_saved_error saved;
  phc_error_save(&saved);
  std::string name;
  PyObject* module = type->tp_dict != nullptr
                         ? PyDict_GetItemString(type->tp_dict, "__module__")
                         : nullptr;
  if (module != nullptr && PyUnicode_Check(module)) {
    const char* text = PyUnicode_AsUTF8(module);
    if (text == nullptr) PyErr_Clear();
    if (text != nullptr && std::strcmp(text, "builtins") != 0) {
      name = std::string(text) + ".";
    }
  }
  const char* qualname =
      heap->ht_qualname != nullptr && PyUnicode_Check(heap->ht_qualname)
          ? PyUnicode_AsUTF8(heap->ht_qualname)
          : nullptr;
  name += qualname != nullptr ? qualname : type->tp_name;
  PyErr_Clear();
  phc_error_restore(&saved);
  copy_utf8(name.data(), name.size(), out, size);
  return PYHOOKS_OK;
}

// ---- watchers and function entries (ABI 1.1) ------------------------------

pyhooks_status api_watch(pyhooks_plugin* self, int32_t kind,
                         struct _object* object, pyhooks_watch_fn callback,
                         void* cookie) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr) return PYHOOKS_E_INVALID;
  return plugin->host()->watchers().watch(plugin, kind, object, callback,
                                          cookie);
}

pyhooks_status api_unwatch(pyhooks_plugin* self, int32_t kind,
                           struct _object* object) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr) return PYHOOKS_E_INVALID;
  return plugin->host()->watchers().unwatch(plugin, kind, object);
}

pyhooks_status api_function_entry_set(pyhooks_plugin* self,
                                      struct _object* function,
                                      const pyhooks_function_entry* entry) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr) return PYHOOKS_E_INVALID;
  return plugin->host()->function_entries().set(plugin, function, entry);
}

pyhooks_status api_function_entry_clear(pyhooks_plugin* self,
                                        struct _object* function) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr) return PYHOOKS_E_INVALID;
  return plugin->host()->function_entries().clear(plugin, function);
}

// ---- narrowing the declared events (ABI 1.1) ------------------------------

pyhooks_status api_narrow_events(pyhooks_plugin* self, uint32_t events) {
  PluginInstance* plugin = instance(self);
  if (plugin == nullptr || plugin->state() != PluginState::kLoaded) {
    return PYHOOKS_E_INVALID;  // only inside init, before the chain has it
  }
  plugin->narrow_events(events);
  return PYHOOKS_OK;
}

pyhooks_host_api make_table() {
  return {
      sizeof(pyhooks_host_api),
      PYHOOKS_ABI_MAJOR,
      PYHOOKS_ABI_MINOR,
      PYHOOKS_VERSION,
      static_cast<uint32_t>(Py_Version),  // the running interpreter's
      api_log,
      api_option_string,
      api_option_int,
      api_option_float,
      api_option_bool,
      api_option_list_count,
      api_option_list_item,
      api_code_info,
      api_code_slot,
      api_code_data,
      api_code_disable,
      api_code_is_observed,
      api_frame_line,
      api_frame_function,
      api_frame_arg_count,
      api_frame_arg,
      api_frame_globals,
      api_eval_next,
      api_clock_ns,
      api_thread_cpu_ns,
      /* ABI 1.1 */
      api_frame_builtins,
      api_frame_local,
      api_code_local,
      api_thread_info,
      api_perf_map_write,
      api_event_supported,
      api_c_function_name,
      api_value_type_name,
      api_watch,
      api_unwatch,
      api_function_entry_set,
      api_function_entry_clear,
      api_narrow_events,
  };
}

}  // namespace

const pyhooks_host_api* host_api_table() {
  static const pyhooks_host_api table = make_table();
  return &table;
}

}  // namespace pyhooks
