# cmake/probe_python.py - prints what the build needs to know about one
# interpreter, as KEY=VALUE lines (read by cmake/PyhooksPythons.cmake).
# Runs on any Python 3; must not import anything beyond the standard library.
import os
import sys
import sysconfig

var = sysconfig.get_config_var
include = sysconfig.get_paths().get("include") or var("INCLUDEPY") or ""
libdir = var("LIBDIR") or ""
ldlibrary = var("LDLIBRARY") or ""
facts = {
    "EXECUTABLE": os.path.realpath(sys.executable),
    "VERSION": "%d.%d.%d" % sys.version_info[:3],
    "MINOR": str(sys.version_info[1]),
    "MAJOR": str(sys.version_info[0]),
    "SOABI": var("SOABI") or "",
    "EXT_SUFFIX": var("EXT_SUFFIX") or "",
    "INCLUDE": include,
    "HAS_INTERNAL": "1" if os.path.isfile(
        os.path.join(include, "internal", "pycore_frame.h")) else "0",
    "LIBPYTHON": os.path.join(libdir, ldlibrary)
    if ldlibrary.endswith(".so") and os.path.isfile(os.path.join(libdir, ldlibrary))
    else "",
    "PREFIX": sys.prefix,
    "DEBUG": "1" if hasattr(sys, "gettotalrefcount") else "0",
    "GIL_DISABLED": "1" if var("Py_GIL_DISABLED") else "0",
}
for key, value in facts.items():
    print("%s=%s" % (key, value))
