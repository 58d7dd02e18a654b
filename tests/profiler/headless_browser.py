"""Headless Chromium driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: commands on the child's fd 3, replies and events
on its fd 4, each a JSON text ended by a NUL byte), with the standard
library only. Enough for the flamegraph tests: open a file, evaluate
JavaScript, move and click the mouse, answer a prompt() dialog.

    with Browser() as browser:          # raises BrowserUnavailable
        page = browser.open(path)
        page.evaluate("document.title")
        page.click(x, y, prompt_answer="^inner")
"""

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1200, 800)


class BrowserUnavailable(Exception):
    """Chromium is missing or would not start (the reason is the text)."""


def browser_environment():
    # Sanitizer runs preload their runtime; Chromium must not inherit it.
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    return env


class Browser:
    def __init__(self, timeout=30):
        self.timeout = timeout
        self.proc = None
        self.next_id = 0
        self.buffer = b""
        self.events = []

    def __enter__(self):
        if CHROMIUM is None:
            raise BrowserUnavailable(
                "chromium is not installed (tools/install-deps.sh installs "
                "Debian's chromium)")
        self.scratch = tempfile.mkdtemp(prefix="pyhooks-chromium-")
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire_pipes():
            # Copies first: either end may itself be fd 3 or 4, and os.pipe()
            # fds are close-on-exec (dup2 onto a distinct fd clears that).
            commands, replies = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        try:
            self.proc = subprocess.Popen(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--remote-debugging-pipe",
                 "--window-size=%d,%d" % WINDOW,
                 "--user-data-dir=" + os.path.join(self.scratch, "profile"),
                 "about:blank"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, close_fds=False,
                preexec_fn=wire_pipes, env=browser_environment())
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        try:
            self.call("Browser.getVersion")
        except BrowserUnavailable:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            try:
                self.send("Browser.close")
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
            self.proc = None
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.scratch, ignore_errors=True)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method,
                   "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        return self.next_id

    def read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserUnavailable("chromium did not answer in %d s"
                                         % self.timeout)
            ready, _, _ = select.select([self.from_child], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_child, 65536)
            if not chunk:
                raise BrowserUnavailable("chromium exited (status %s)"
                                         % self.proc.poll())
            self.buffer += chunk
        text, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(text)

    def call(self, method, params=None, session=None, on_event=None):
        """Sends a command and returns its result; events seen meanwhile go
        to on_event(message) (or are kept in self.events)."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while True:
            message = self.read_message(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                if on_event is None or not on_event(message):
                    self.events.append(message)

    def wait_event(self, method, session):
        deadline = time.monotonic() + self.timeout
        for i, message in enumerate(self.events):
            if message["method"] == method and message.get("sessionId") == session:
                del self.events[i]
                return message
        while True:
            message = self.read_message(deadline)
            if message.get("method") == method and \
                    message.get("sessionId") == session:
                return message
            if "method" in message:
                self.events.append(message)

    def open(self, path, query=""):
        target = self.call("Target.createTarget", {"url": "about:blank"})
        session = self.call("Target.attachToTarget",
                            {"targetId": target["targetId"],
                             "flatten": True})["sessionId"]
        page = Page(self, session)
        page.call("Page.enable")
        page.call("Runtime.enable")
        page.call("Emulation.setDeviceMetricsOverride",
                  {"width": WINDOW[0], "height": WINDOW[1],
                   "deviceScaleFactor": 1, "mobile": False})
        page.call("Page.navigate", {"url": Path(path).as_uri() + query})
        self.wait_event("Page.loadEventFired", session)
        return page


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session

    def call(self, method, params=None, on_event=None):
        return self.browser.call(method, params, self.session, on_event)

    def errors(self):
        """Uncaught exceptions reported by the page so far."""
        return [m["params"]["exceptionDetails"] for m in self.browser.events
                if m["method"] == "Runtime.exceptionThrown"
                and m.get("sessionId") == self.session]

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate",
                           {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise AssertionError("%s: %s" % (expression,
                                             result["exceptionDetails"]))
        return result["result"].get("value")

    def mouse(self, kind, x, y, **extra):
        params = {"type": kind, "x": x, "y": y}
        params.update(extra)
        return params

    def hover(self, x, y):
        self.call("Input.dispatchMouseEvent", self.mouse("mouseMoved", x, y))

    def click(self, x, y, prompt_answer=None):
        """A left click at (x, y); a prompt() it opens gets `prompt_answer`
        (or is dismissed when that is None). Returns the prompt's message, or
        None when no dialog opened."""
        seen = []

        def answer(message):
            if message["method"] != "Page.javascriptDialogOpening":
                return False
            seen.append(message["params"]["message"])
            self.browser.send("Page.handleJavaScriptDialog",
                              {"accept": prompt_answer is not None,
                               "promptText": prompt_answer or ""},
                              self.session)
            return True

        self.hover(x, y)
        self.call("Input.dispatchMouseEvent",
                  self.mouse("mousePressed", x, y, button="left",
                             clickCount=1), answer)
        self.call("Input.dispatchMouseEvent",
                  self.mouse("mouseReleased", x, y, button="left",
                             clickCount=1), answer)
        # The reply to handleJavaScriptDialog: let a later call skip it.
        return seen[0] if seen else None

    def centre_of(self, selector_js):
        """The viewport centre of the element that `selector_js` evaluates
        to (JavaScript), scrolled into view first."""
        box = self.evaluate(
            "(function(){var e=%s; e.scrollIntoView({block:'center'});"
            "var r=e.getBoundingClientRect();"
            "return [r.left+r.width/2, r.top+r.height/2];})()" % selector_js)
        return box[0], box[1]
