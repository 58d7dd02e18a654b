/* host/compat/watchers_312.h - CPython's watchers and PyFunction_SetVectorcall
 * for compat.h, the same on 3.12 and 3.13 (included by py312.c and py313.c
 * only; 3.11 has neither, py311.c answers "not available").
 *
 * One C callback per kind, registered once per interpreter by the host
 * (host/runtime/watchers.cc), translates CPython's event enums into the
 * PHC_CHANGE_* values and hands the change to phc_watch_notify. Creations are
 * dropped here: nothing can be subscribed before it exists. The callbacks
 * always return 0, so CPython never reports a watcher error: the host
 * contains plugins' failures itself. 3.13 reserves some dict and type
 * watcher ids for its own optimizer; PyDict_AddWatcher/PyType_AddWatcher
 * skip those, which is all the difference there is. */
#ifndef PYHOOKS_HOST_COMPAT_WATCHERS_312_H
#define PYHOOKS_HOST_COMPAT_WATCHERS_312_H

static int phc_dict_changed(PyDict_WatchEvent event, PyObject* dict,
                            PyObject* key, PyObject* new_value) {
  int change;
  switch (event) {
    case PyDict_EVENT_ADDED:
      change = PHC_CHANGE_DICT_ADDED;
      break;
    case PyDict_EVENT_MODIFIED:
      change = PHC_CHANGE_DICT_MODIFIED;
      break;
    case PyDict_EVENT_DELETED:
      change = PHC_CHANGE_DICT_DELETED;
      break;
    case PyDict_EVENT_CLONED: /* CPython passes the source as `key` */
      phc_watch_notify(PHC_WATCH_DICT, PHC_CHANGE_DICT_CLONED, dict, NULL, key);
      return 0;
    case PyDict_EVENT_CLEARED:
      change = PHC_CHANGE_DICT_CLEARED;
      break;
    case PyDict_EVENT_DEALLOCATED:
      change = PHC_CHANGE_DESTROYED;
      break;
    default:
      return 0;
  }
  phc_watch_notify(PHC_WATCH_DICT, change, dict, key, new_value);
  return 0;
}

static int phc_function_changed(PyFunction_WatchEvent event,
                                PyFunctionObject* function,
                                PyObject* new_value) {
  int change;
  switch (event) {
    case PyFunction_EVENT_DESTROY:
      change = PHC_CHANGE_DESTROYED;
      break;
    case PyFunction_EVENT_MODIFY_CODE:
      change = PHC_CHANGE_FUNCTION_CODE;
      break;
    case PyFunction_EVENT_MODIFY_DEFAULTS:
      change = PHC_CHANGE_FUNCTION_DEFAULTS;
      break;
    case PyFunction_EVENT_MODIFY_KWDEFAULTS:
      change = PHC_CHANGE_FUNCTION_KWDEFAULTS;
      break;
    default: /* CREATE */
      return 0;
  }
  phc_watch_notify(PHC_WATCH_FUNCTION, change, (PyObject*)function, NULL,
                   new_value);
  return 0;
}

static int phc_code_changed(PyCodeEvent event, PyCodeObject* code) {
  if (event == PY_CODE_EVENT_DESTROY) {
    phc_watch_notify(PHC_WATCH_CODE, PHC_CHANGE_DESTROYED, (PyObject*)code,
                     NULL, NULL);
  }
  return 0;
}

static int phc_type_changed(PyTypeObject* type) {
  phc_watch_notify(PHC_WATCH_TYPE, PHC_CHANGE_TYPE_MODIFIED, (PyObject*)type,
                   NULL, NULL);
  return 0;
}

int phc_has_watchers(void) { return 1; }

int phc_watcher_add(int kind) {
  switch (kind) {
    case PHC_WATCH_DICT:
      return PyDict_AddWatcher(phc_dict_changed);
    case PHC_WATCH_FUNCTION:
      return PyFunction_AddWatcher(phc_function_changed);
    case PHC_WATCH_CODE:
      return PyCode_AddWatcher(phc_code_changed);
    case PHC_WATCH_TYPE:
      return PyType_AddWatcher(phc_type_changed);
    default:
      PyErr_SetString(PyExc_SystemError, "pyhooks: unknown watcher kind");
      return -1;
  }
}

void phc_watcher_clear(int kind, int id) {
  int failed = 0;
  switch (kind) {
    case PHC_WATCH_DICT:
      failed = PyDict_ClearWatcher(id);
      break;
    case PHC_WATCH_FUNCTION:
      failed = PyFunction_ClearWatcher(id);
      break;
    case PHC_WATCH_CODE:
      failed = PyCode_ClearWatcher(id);
      break;
    case PHC_WATCH_TYPE:
      failed = PyType_ClearWatcher(id);
      break;
  }
  if (failed) PyErr_Clear(); /* the id was ours; nothing else to do */
}

int phc_watch_object(int kind, int id, PyObject* object) {
  if (kind == PHC_WATCH_DICT) return PyDict_Watch(id, object);
  if (kind == PHC_WATCH_TYPE) return PyType_Watch(id, object);
  return 0;
}

void phc_unwatch_object(int kind, int id, PyObject* object) {
  int failed = 0;
  if (kind == PHC_WATCH_DICT) failed = PyDict_Unwatch(id, object);
  if (kind == PHC_WATCH_TYPE) failed = PyType_Unwatch(id, object);
  if (failed) PyErr_Clear();
}

int phc_has_function_entry(void) { return 1; }

void phc_function_set_entry(PyObject* function, phc_vectorcall_fn entry) {
  PyFunction_SetVectorcall((PyFunctionObject*)function, entry);
}

#endif /* PYHOOKS_HOST_COMPAT_WATCHERS_312_H */
