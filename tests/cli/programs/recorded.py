"""Reads the recorder test plugin's event log (through ctypes)."""
import ctypes

import pyhooks


def events():
    """The recorder's log since the last call, as lines (the log is cleared)."""
    libraries = [p["library"] for p in pyhooks.chain() if p["name"] == "recorder"]
    if not libraries:
        return []
    take = ctypes.CDLL(libraries[0]).pyhooks_test_take_events
    take.restype = ctypes.c_size_t
    while True:
        # Python code runs (and is logged) between sizing and taking: leave
        # room, and retry if the log still outgrew the buffer.
        size = take(None, 0) + 65536
        buffer = ctypes.create_string_buffer(size)
        if take(buffer, size) < size:
            return buffer.value.decode().splitlines()
