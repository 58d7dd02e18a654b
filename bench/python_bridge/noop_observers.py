"""Python observers measured by bench/python_bridge/callgrind.py."""


class EveryEvent:
    """All five frame events, doing nothing: the C no-op observer's twin."""

    def on_start(self, code, thread_id):
        pass

    def on_resume(self, code, thread_id):
        pass

    def on_return(self, code, thread_id, value):
        pass

    def on_yield(self, code, thread_id, value):
        pass

    def on_unwind(self, code, thread_id, exception):
        pass


class StartOnly:
    """One method: only START is subscribed."""

    def on_start(self, code, thread_id):
        pass


class CountStarts:
    """A little real work: a call counter per code object."""

    def __init__(self):
        self.calls = {}

    def on_start(self, code, thread_id):
        self.calls[code] = self.calls.get(code, 0) + 1
