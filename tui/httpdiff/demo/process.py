"""The demo server in a child process: what ``httpdiff --demo`` runs beside the app.

In the app's own process the server answers on a thread that shares the GIL
with the drawing, so every repaint delays its answers and shows up in the
timings of whatever the user is measuring. ``DemoProcess`` has the addresses of
a ``DemoServer`` (``DemoURLs``) and runs one in ``python -m httpdiff.demo.child``,
which prints its ports as one JSON line and serves until its stdin closes: when
``stop()`` closes it, or when the app ends in any way at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from httpdiff.demo.certs import ensure_certs
from httpdiff.demo.server import HOST, START_TIMEOUT, STOP_TIMEOUT

CHILD = "httpdiff.demo.child"


class DemoProcess:
    """A demo server in a child process. ``start()`` returns self; a context manager too."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self._data_dir = data_dir
        self._child: subprocess.Popen[str] | None = None
        self._errors: IO[bytes] | None = None
        self._ports: tuple[int, ...] = ()

    def _url(self, scheme: str, index: int) -> str:
        if not self._ports:
            raise RuntimeError("the demo server is not started")
        return f"{scheme}://{HOST}:{self._ports[index]}"

    @property
    def http_url(self) -> str:
        return self._url("http", 0)

    @property
    def https_url(self) -> str:
        return self._url("https", 1)

    @property
    def raw_url(self) -> str:
        return self._url("http", 2)

    @property
    def ca_path(self) -> Path:
        """The CA certificate that verifies ``https_url`` (the child made it on start)."""
        return ensure_certs(self._data_dir).ca

    @property
    def running(self) -> bool:
        return self._child is not None and self._child.poll() is None

    def start(self) -> DemoProcess:
        """Start the child and wait (bounded) for its ports; RuntimeError says why it failed."""
        if self._child is not None:
            raise RuntimeError("the demo server is already started")
        argv = [sys.executable, "-m", CHILD]
        if self._data_dir is not None:
            argv.append(str(self._data_dir))
        # stderr to a file: a pipe nobody reads would stall a chatty child once full.
        # It lives until stop(), so no with-block.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        child = self._child = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors, text=True,
        )
        lines: list[str] = []
        # A thread, not select(): reading a pipe with a deadline the same way everywhere.
        reader = threading.Thread(target=lambda: lines.append(child.stdout.readline())
                                  if child.stdout else None, daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        try:
            message = json.loads(lines[0]) if lines and lines[0] else {}
        except ValueError:
            message = {}
        if "ports" not in message:
            # The child's own error already says what failed; else its last words.
            why = message.get("error") or f"the demo server did not start: {self._why()}"
            self.stop()
            raise RuntimeError(why)
        self._ports = tuple(int(port) for port in message["ports"])
        return self

    def _why(self) -> str:
        """The child's last line on stderr, once it has ended (bounded)."""
        child = self._child
        if child is None or self._errors is None:
            return "timed out"
        try:
            child.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            return "timed out"
        self._errors.seek(0)
        text = self._errors.read().decode("utf-8", "replace")
        lines = [line for line in text.splitlines() if line.strip()]
        return lines[-1] if lines else f"it ended with code {child.returncode}"

    def stop(self) -> None:
        """Close the child's stdin (it stops serving), wait (bounded), kill. Safe twice."""
        child, self._child = self._child, None
        if child is None:
            return
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
        if self._errors is not None:
            self._errors.close()
            self._errors = None

    def __enter__(self) -> DemoProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
