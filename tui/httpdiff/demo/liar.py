"""The raw "liar" listener: scripted bytes that break HTTP in one precise way each.

A real HTTP server (hypercorn) refuses to send a wrong Content-Length or a cut chunk, so these
answers are written by hand on a plain asyncio TCP server. Each handler first drains the request
head (bounded in size and time), then writes its fixed bytes. Everything is bounded: ``/endless``
stops after 2 GiB or 120 s, ``/never`` hangs up after 120 s, and stopping the server closes any
connection still open.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

#: Fixed answers, sent whole and followed by a close (tests compare against these bytes).
CANNED: dict[str, bytes] = {
    "/ok": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
        b"Connection: close\r\n\r\nok\n"
    ),
    "/wrong-length": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n"
        b"Connection: close\r\n\r\n0123456789"
    ),
    "/truncated-chunked": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n5\r\nhello\r\n20\r\nonly part of th"
    ),
    "/bad-gzip": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Encoding: gzip\r\n"
        b"Content-Length: 27\r\nConnection: close\r\n\r\nthis is not gzip at all!!!\n"
    ),
    "/bad-status": (
        b"HTTP/1.1 two-hundred OKAY?\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
    ),
    # Ambiguous framing, where the two clients' HTTP/1.1 parsers disagree (h11 vs llhttp):
    "/length-and-chunked": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    ),
    "/double-length": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
        b"Content-Length: 5\r\nConnection: close\r\n\r\nhello"
    ),
    "/gzip-transfer-coding": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: gzip, chunked\r\n"
        b"Connection: close\r\n\r\n0\r\n\r\n"
    ),
}

ENDLESS_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
)
NOT_FOUND = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n"
    b"Connection: close\r\n\r\nnot found\n"
)
#: Every path the liar answers, with what it does (also served as the index at ``/``).
ROUTES: dict[str, str] = {
    "/ok": "a valid, tiny response (sanity check)",
    "/wrong-length": "Content-Length: 100, then 10 bytes and close",
    "/truncated-chunked": "a chunked body that stops mid-chunk and closes",
    "/bad-gzip": "Content-Encoding: gzip over a body that is not gzip",
    "/bad-status": "a garbage status line",
    "/length-and-chunked": "Content-Length and Transfer-Encoding: chunked together",
    "/double-length": "the same Content-Length header twice",
    "/gzip-transfer-coding": "Transfer-Encoding: gzip, chunked (a coding few clients support)",
    "/endless": "200 without a length, bytes until the client leaves (capped 2 GiB / 120 s)",
    "/never": "reads the request, never answers (hangs up after 120 s)",
}

MAX_HEAD = 64 * 1024
HEAD_TIMEOUT = 10.0
HOLD_SECONDS = 120.0
ENDLESS_CAP = 2 * 1024 * 1024 * 1024
_ENDLESS_CHUNK = bytes(range(256)) * 256  # 64 KiB, recognisable in a hex dump


def index_response() -> bytes:
    body = "".join(f"{path}\t{what}\n" for path, what in ROUTES.items()).encode()
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    )
    return head + body


async def read_head(reader: asyncio.StreamReader) -> bytes | None:
    """The request head up to the blank line; None when it is too big, slow or cut off."""
    try:
        async with asyncio.timeout(HEAD_TIMEOUT):
            return await reader.readuntil(b"\r\n\r\n")
    except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
        return None


def request_path(head: bytes) -> str:
    """The path of the request line, without query; "" when the line is not a request."""
    parts = head.split(b"\r\n", 1)[0].split(b" ")
    if len(parts) != 3:
        return ""
    return parts[1].split(b"?", 1)[0].decode("latin-1")


class LiarServer:
    """Owns the listening server and the open connections, so ``close`` ends everything."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self, sock: socket.socket) -> None:
        self._server = await asyncio.start_server(self._handle, sock=sock, limit=MAX_HEAD)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(2):
                    await self._server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            head = await read_head(reader)
            if head is not None:
                await self._answer(request_path(head), reader, writer)
        except OSError:
            pass  # the client left: nothing to tell anyone
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _answer(
        self, path: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        if path == "/endless":
            await self._endless(writer)
        elif path == "/never":
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(HOLD_SECONDS):
                    while await reader.read(4096):  # until the client closes
                        pass
        else:
            data = index_response() if path == "/" else CANNED.get(path, NOT_FOUND)
            writer.write(data)
            await writer.drain()

    async def _endless(self, writer: asyncio.StreamWriter) -> None:
        writer.write(ENDLESS_HEAD)
        sent = 0
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(HOLD_SECONDS):
                while sent < ENDLESS_CAP and not writer.is_closing():
                    writer.write(_ENDLESS_CHUNK)
                    await writer.drain()  # raises once the client resets the connection
                    sent += len(_ENDLESS_CHUNK)
