"""A tiny Chrome DevTools Protocol client for the tests: the system's Chromium, headless, spoken to over
the pipe of ``--remote-debugging-pipe`` (JSON messages ended by a NUL byte; the browser reads fd 3 and
writes fd 4). No dependency beyond the standard library.

    with Browser.start(tmp_path / "profile") as browser:
        page = browser.open(url, width=390, mobile=True)
        page.evaluate("document.title"); page.screenshot(path)
        page.console, page.exceptions, page.requests  # what happened while it loaded
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]
PLACE_FDS = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); os.execvp(sys.argv[3], sys.argv[3:])"
)
"""Run with the pipe's ends as arguments: they become fds 3 and 4 of the browser it execs."""
NAMES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 30.0


def find_chromium() -> str | None:
    """``$LX_CHROMIUM``, else the first of ``chromium``, ``chromium-browser``, ``google-chrome`` on PATH."""
    given = os.environ.get("LX_CHROMIUM")
    if given:
        return shutil.which(given) or (given if os.access(given, os.X_OK) else None)
    return next((found for name in NAMES if (found := shutil.which(name))), None)


class BrowserError(RuntimeError):
    pass


@dataclass
class Page:
    """One tab, attached in flattened mode: its commands carry its session id."""

    browser: Browser
    session: str
    console: list[dict[str, Any]] = field(default_factory=list)
    """Runtime.consoleAPICalled (``type``, ``text``) and Log.entryAdded (``level``, ``text``, ``url``)."""
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (returned by value); a thrown error is a BrowserError."""
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression!r} threw: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def screenshot(self, path: Path) -> Path:
        """A PNG of the whole page, beyond the viewport."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def record(self, event: dict[str, Any]) -> None:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.console.append({"type": params.get("type"), "text": text})
        elif method == "Log.entryAdded":
            entry = params["entry"]
            self.console.append({"type": entry.get("level"), "text": entry.get("text"), "url": entry.get("url")})
        elif method == "Runtime.exceptionThrown":
            self.exceptions.append(params["exceptionDetails"])
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])


class Browser:
    """A headless Chromium and its pipe; events are dispatched to the page whose session sent them."""

    def __init__(self, process: subprocess.Popen[bytes], reader: int, writer: int) -> None:
        self.process = process
        self._writer = writer
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._pages: dict[str, Page] = {}
        self._events: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._next = 0
        self._thread = threading.Thread(target=self._read, args=(reader,), daemon=True)
        self._thread.start()

    @classmethod
    @contextmanager
    def start(cls, profile: Path, executable: str | None = None) -> Iterator[Browser]:
        """Chromium with a fresh profile in ``profile``; closed (then killed if need be) on the way out."""
        exe = executable or find_chromium()
        if exe is None:
            raise BrowserError("no Chromium: install the chromium package or set LX_CHROMIUM")
        profile.mkdir(parents=True, exist_ok=True)
        to_browser, from_browser = os.pipe(), os.pipe()  # (read, write) each
        # the browser must find the pipe at fds 3 and 4 exactly: a two-line Python puts them there and execs it
        command = [sys.executable, "-c", PLACE_FDS, str(to_browser[0]), str(from_browser[1]), exe, *FLAGS]
        command += [f"--user-data-dir={profile}", "about:blank"]
        with (profile / "chromium.log").open("wb") as log:
            process = subprocess.Popen(
                command,
                pass_fds=(to_browser[0], from_browser[1]),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,  # its own process group: the renderers and the zygote go with it
            )
        os.close(to_browser[0])
        os.close(from_browser[1])
        browser = cls(process, from_browser[0], to_browser[1])
        try:
            yield browser
        finally:
            browser.close()

    def _read(self, fd: int) -> None:
        buffer = b""
        with os.fdopen(fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 16):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for raw in messages:
                    self._dispatch(json.loads(raw))
        self._replies.put(None)  # the browser has gone

    def _dispatch(self, message: dict[str, Any]) -> None:
        if "id" in message:
            self._replies.put(message)
            return
        session = message.get("sessionId")
        with self._lock:
            self._events.setdefault(session or "", []).append(message["method"])
            page = self._pages.get(session or "")
        if page is not None:
            page.record(message)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send a command and wait (at most TIMEOUT seconds) for its reply; an error reply is a BrowserError."""
        with self._lock:
            self._next += 1
            ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._writer, json.dumps(message).encode() + b"\0")
        while True:
            try:
                reply = self._replies.get(timeout=TIMEOUT)
            except queue.Empty:
                raise BrowserError(f"{method}: no reply in {TIMEOUT:g} s") from None
            if reply is None:
                self._replies.put(None)  # for every later command too
                raise BrowserError(f"{method}: the browser exited (code {self.process.poll()})")
            if reply["id"] == ident:
                break
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def wait_for(self, session: str, method: str) -> None:
        """Wait (at most TIMEOUT seconds) until the page has sent the event ``method``."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            with self._lock:
                if method in self._events.get(session, []):
                    return
            time.sleep(0.05)
        raise BrowserError(f"no {method} in {TIMEOUT:g} s")

    def open(self, url: str, width: int, height: int = 800, mobile: bool = False) -> Page:
        """A new tab at a viewport ``width`` CSS pixels wide (``mobile``: as a phone, with its viewport meta),
        loaded at ``url``; returns once its load event has fired."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        with self._lock:
            self._pages[session] = page
        for domain in ("Runtime", "Log", "Network", "Page"):
            page.send(f"{domain}.enable")
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
        page.send("Emulation.setDeviceMetricsOverride", metrics)
        page.send("Page.navigate", {"url": url})
        self.wait_for(session, "Page.loadEventFired")
        return page

    def close(self) -> None:
        """Browser.close, then a kill of its process group if it has not gone within five seconds."""
        try:
            if self.process.poll() is None:
                self.send("Browser.close")
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        os.close(self._writer)
        self._thread.join(timeout=5)
