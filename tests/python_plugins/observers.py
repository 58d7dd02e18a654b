"""Python observers the tests load through the bridge (test_python_plugins).

Each records lines in the C recorder's format ("start f", "return f", ...;
tests/plugins/test_plugin.c) in EVENTS, which the program reads back by
importing this module (the bridge imported it into sys.modules)."""

import pyhooks

EVENTS = []


def _name(code):
    return code.co_qualname


class Recorder:
    """Every frame event of one file, as the C recorder logs them."""

    def __init__(self, filename="<string>", disable=()):
        self.filename = filename
        self.disable = set(disable)

    def _keep(self, code):
        return code.co_filename == self.filename

    def on_start(self, code, thread_id):
        if self._keep(code):
            EVENTS.append("start " + _name(code))
            if _name(code) in self.disable:
                return pyhooks.DISABLE
        return None

    def on_resume(self, code, thread_id):
        if self._keep(code):
            EVENTS.append("resume " + _name(code))

    def on_return(self, code, thread_id, value):
        if self._keep(code):
            EVENTS.append("return " + _name(code))

    def on_yield(self, code, thread_id, value):
        if self._keep(code):
            EVENTS.append("yield " + _name(code))

    def on_unwind(self, code, thread_id, exception):
        if self._keep(code):
            EVENTS.append("unwind " + _name(code))


class Values(Recorder):
    """Records the value or exception each exit event receives."""

    def on_return(self, code, thread_id, value):
        if self._keep(code):
            EVENTS.append("return %s %r" % (_name(code), value))

    def on_yield(self, code, thread_id, value):
        if self._keep(code):
            EVENTS.append("yield %s %r" % (_name(code), value))

    def on_unwind(self, code, thread_id, exception):
        if self._keep(code):
            EVENTS.append("unwind %s %r" % (_name(code), exception))


class StartsOnly:
    """Defines one method: only START is subscribed."""

    def on_start(self, code, thread_id):
        if code.co_filename == "<string>":
            EVENTS.append("start " + code.co_qualname)


class Options:
    """Keeps its options (keyword arguments) for the program to read."""

    def __init__(self, **options):
        EVENTS.append(sorted((key, type(value).__name__, value)
                             for key, value in options.items()))

    def on_start(self, code, thread_id):
        pass


def _helper(code):
    return code.co_qualname


class SelfCalls:
    """Runs Python code of its own in every event: none of it is reported."""

    def on_start(self, code, thread_id):
        EVENTS.append("start " + _helper(code))

    def on_return(self, code, thread_id, value):
        EVENTS.append("return " + _helper(code))


class RaisesOnReturn(Recorder):
    """Raises from on_return the third time: the bridge reports it once
    and the host drops the plugin."""

    returns = 0

    def on_return(self, code, thread_id, value):
        if self._keep(code):
            RaisesOnReturn.returns += 1
            if RaisesOnReturn.returns == 3:
                raise ValueError("boom")
            EVENTS.append("return " + _name(code))


class CCalls:
    """C-call events (3.12+): the callable each receives."""

    def on_c_call(self, code, thread_id, callable):
        if code.co_filename == "<string>":
            EVENTS.append("c_call %s %s" % (code.co_qualname,
                                            callable.__name__))

    def on_c_return(self, code, thread_id, callable):
        if code.co_filename == "<string>":
            EVENTS.append("c_return %s %s" % (code.co_qualname,
                                              callable.__name__))

    def on_c_raise(self, code, thread_id, callable):
        if code.co_filename == "<string>":
            EVENTS.append("c_raise %s %s" % (code.co_qualname,
                                             callable.__name__))


class Threads:
    """Records the thread id START receives."""

    def on_start(self, code, thread_id):
        if code.co_qualname == "in_thread":
            EVENTS.append(thread_id)


class NoMethods:
    """Receives nothing: refused."""


class BadInit:
    def __init__(self, **options):
        raise RuntimeError("cannot start")

    def on_start(self, code, thread_id):
        pass


class ShutdownWrites:
    """shutdown() runs once at the end of the program."""

    def on_start(self, code, thread_id):
        pass

    def shutdown(self):
        print("observer shut down")


def not_a_class():
    pass


class RaisesOnUnwind:
    """Raises while the program's own exception is leaving a frame."""

    def on_unwind(self, code, thread_id, exception):
        raise RuntimeError("observer broke")
