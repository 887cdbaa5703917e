"""``DemoServer``: the three loopback listeners in a background thread with their own event loop.

The sockets are bound in the caller's thread before the loop starts, so a port that is taken
fails ``start()`` at once with a clear message and the URLs are known without any race. hypercorn
serves the ASGI app on the plain socket (HTTP/1.1, and h2c with prior knowledge) and on the TLS
socket (ALPN h2, http/1.1); a bare asyncio server plays the liar. A thread, not the caller's loop,
because the Textual app and pytest-asyncio each own a loop the server must not depend on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from hypercorn.asyncio.run import worker_serve
from hypercorn.config import Config, Sockets
from hypercorn.utils import wrap_app

from httpdiff.demo import payloads
from httpdiff.demo.app import DemoApp
from httpdiff.demo.certs import CertPaths, ensure_certs, server_context
from httpdiff.demo.liar import LiarServer

HOST = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0
_LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost"})

log = logging.getLogger("httpdiff.demo")
# Quiet by default (no access log, no stderr noise); a caller that configures logging sees it.
log.addHandler(logging.NullHandler())


def _listen(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def _log_loop_error(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    # Connections cut at shutdown make asyncio report cancelled tasks (a 3.11 streams quirk);
    # that is normal for a server being stopped, so it goes to the log, not to stderr.
    log.debug("demo server loop: %s", context.get("message"), exc_info=context.get("exception"))


class DemoServer:
    """The embedded demo server. ``start()`` returns self; usable as a context manager."""

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        http_port: int = 0,
        https_port: int = 0,
        raw_port: int = 0,
    ) -> None:
        self._data_dir = data_dir
        self._ports = (http_port, https_port, raw_port)
        self._certs: CertPaths | None = None
        self._sockets: list[socket.socket] = []
        #: Ports actually bound (plain, TLS, raw); kept after stop so the URLs stay readable.
        self._bound: tuple[int, ...] = ()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._shutdown: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    # --- addresses ---------------------------------------------------------------------------

    def _port(self, index: int) -> int:
        if not self._bound:
            raise RuntimeError("the demo server is not started")
        return self._bound[index]

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self._port(0)}"

    @property
    def https_url(self) -> str:
        return f"https://{HOST}:{self._port(1)}"

    @property
    def raw_url(self) -> str:
        return f"http://{HOST}:{self._port(2)}"

    @property
    def ca_path(self) -> Path:
        """The CA certificate (PEM) that verifies ``https_url``; created on first access."""
        if self._certs is None:
            self._certs = ensure_certs(self._data_dir)
        return self._certs.ca

    @property
    def running(self) -> bool:
        """True between a successful ``start()`` and ``stop()`` (or a crash of the thread)."""
        return self._thread is not None and self._thread.is_alive()

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> DemoServer:
        """Bind, start the thread, wait (bounded) until it serves. RuntimeError on failure."""
        if self._thread is not None:
            raise RuntimeError("the demo server is already started")
        try:
            self._certs = ensure_certs(self._data_dir)
            server_context(self._certs)  # fail here, not inside hypercorn, on a bad cert
            for port in self._ports:
                self._sockets.append(_listen(HOST, port))
            self._bound = tuple(int(sock.getsockname()[1]) for sock in self._sockets)
        except (OSError, OverflowError) as exc:  # Overflow: a port outside 0-65535
            self._close_sockets()
            raise RuntimeError(f"cannot start the demo server: {exc}") from exc
        self._ready.clear()
        self._error = None
        self._thread = threading.Thread(target=self._run, name="httpdiff-demo", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT) or self._error is not None:
            error = self._error
            self.stop()
            raise RuntimeError(f"the demo server did not start: {error or 'timed out'}")
        return self

    def stop(self) -> None:
        """Ask the loop to shut down, then join the thread (bounded). Safe to call twice."""
        thread, loop, shutdown = self._thread, self._loop, self._shutdown
        if thread is not None:
            if loop is not None and shutdown is not None:
                with contextlib.suppress(RuntimeError):  # loop already closed
                    loop.call_soon_threadsafe(shutdown.set)
            thread.join(STOP_TIMEOUT)
        self._thread = self._loop = self._shutdown = None
        self._close_sockets()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- the thread --------------------------------------------------------------------------

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            sock.close()
        self._sockets = []

    def _config(self, certs: CertPaths) -> Config:
        config = Config()
        config.certfile = str(certs.cert)
        config.keyfile = str(certs.key)
        config.alpn_protocols = ["h2", "http/1.1"]
        config.h11_pass_raw_headers = True  # echo header names in the case they arrived
        config.accesslog = None
        config.errorlog = log
        config.graceful_timeout = 1.0  # stop() must not wait for a /delay/30 in flight
        config.keep_alive_timeout = 5.0
        config.include_server_header = False
        return config

    def _own_hosts(self) -> frozenset[str]:
        ports = (self._port(0), self._port(1))
        return frozenset(f"{name}:{port}" for name in _LOOPBACK_NAMES for port in ports)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as exc:  # reported to start(); the thread must not die silently
            self._error = exc
            log.exception("demo server stopped with an error")
        finally:
            self._ready.set()

    async def _main(self) -> None:
        assert self._certs is not None
        self._loop = asyncio.get_running_loop()
        self._loop.set_exception_handler(_log_loop_error)
        self._shutdown = asyncio.Event()
        started = asyncio.Event()
        app = DemoApp(on_startup=started.set)
        app.own_hosts = self._own_hosts()
        plain, tls, raw = self._sockets
        liar = LiarServer()
        await liar.start(raw)
        sockets = Sockets(secure_sockets=[tls], insecure_sockets=[plain], quic_sockets=[])
        serving = asyncio.create_task(
            worker_serve(
                # hypercorn types the app with its own TypedDicts; ours uses plain dicts.
                wrap_app(cast(Any, app), 0, "asgi"), self._config(self._certs),
                sockets=sockets, shutdown_trigger=self._shutdown.wait,
            )
        )
        # Warm the gzip bomb so its first request is quick; a daemon thread, so stop() never
        # waits for it.
        threading.Thread(target=payloads.gzip_bomb, name="httpdiff-demo-warm", daemon=True).start()
        waiter = asyncio.create_task(started.wait())
        await asyncio.wait({serving, waiter}, return_when=asyncio.FIRST_COMPLETED)
        if serving.done():
            waiter.cancel()
            serving.result()  # raises the startup error
            return
        await asyncio.sleep(0)  # let hypercorn reach its accept loops (the sockets already listen)
        self._ready.set()
        try:
            await self._shutdown.wait()
        finally:
            await liar.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(serving), STOP_TIMEOUT / 2)
            serving.cancel()


def serve(
    host: str = HOST,
    http_port: int = 0,
    https_port: int = 0,
    data_dir: Path | None = None,
    *,
    raw_port: int = 0,
) -> None:
    """Run the demo server in the foreground until Ctrl-C (``httpdiff serve``)."""
    if host not in _LOOPBACK_NAMES:
        raise RuntimeError(f"the demo server binds {HOST} only, not {host!r}")
    server = DemoServer(data_dir, http_port=http_port, https_port=https_port, raw_port=raw_port)
    try:
        server.start()
        print(f"plain HTTP (HTTP/1.1, h2c):  {server.http_url}")
        print(f"TLS (h2, http/1.1):          {server.https_url}")
        print(f"raw misbehaving responses:   {server.raw_url}")
        print(f"CA certificate (--cacert):   {server.ca_path}")
        sys.stdout.flush()
        while server.running:
            time.sleep(0.5)  # short sleeps keep Ctrl-C responsive in the main thread
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
