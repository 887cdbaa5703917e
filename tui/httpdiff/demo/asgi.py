"""The small ASGI layer under the demo routes: a parsed request, a response value, and sending.

Routes are plain async functions ``(Request, re.Match) -> Response``, so the same route logic is
served on the plain and the TLS listener by hypercorn, over HTTP/1.1 and HTTP/2 alike. No web
framework: the echo routes must report headers exactly as the server received them (order,
duplicates, case), which frameworks normalise away. A streamed body is a factory of async byte
iterators, so nothing large is ever built in memory and a HEAD request never runs the generator.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Stream = Callable[[], AsyncGenerator[bytes, None]]

#: Request bodies above this are refused with 413: the echo answer holds the body twice.
MAX_REQUEST_BODY = 64 * 1024 * 1024
#: Status codes whose responses never carry a body (h11 refuses one).
_NO_BODY = frozenset({204, 304})


@dataclass(frozen=True, slots=True)
class Request:
    """One request as received; header names keep the case the protocol layer delivered."""

    method: str
    scheme: str
    path: str
    raw_path: bytes
    query_string: bytes
    headers: list[tuple[bytes, bytes]]
    http_version: str
    body: bytes
    server: tuple[str, int] | None = None
    #: host:port pairs of this demo server, the only targets /redirect-to accepts.
    own_hosts: frozenset[str] = frozenset()
    #: Set when the client goes away, so long responses stop generating.
    disconnected: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def query(self) -> list[tuple[str, str]]:
        text = self.query_string.decode("latin-1")
        return parse_qsl(text, keep_blank_values=True, errors="replace")

    def arg(self, name: str) -> str | None:
        """The first query value for ``name``."""
        return next((value for key, value in self.query if key == name), None)

    def header(self, name: str) -> str | None:
        """The first header named ``name`` (case-insensitive), latin-1 decoded, or None."""
        values = self.header_all(name)
        return values[0] if values else None

    def header_all(self, name: str) -> list[str]:
        wanted = name.lower().encode("latin-1")
        return [v.decode("latin-1") for k, v in self.headers if k.lower() == wanted]

    @property
    def host(self) -> str:
        """``host[:port]`` the client addressed (HTTP/2's ``:authority`` arrives as ``host``)."""
        host = self.header("host")
        if host:
            return host
        if self.server is not None:
            return f"{self.server[0]}:{self.server[1]}"
        return "127.0.0.1"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}"

    @property
    def url(self) -> str:
        target = self.raw_path.decode("latin-1") or "/"
        if self.query_string:
            target += "?" + self.query_string.decode("latin-1")
        return self.origin + target


@dataclass(frozen=True, slots=True)
class Response:
    """Status, headers in order (duplicates allowed), and a body: bytes or a stream factory.

    ``length`` is the Content-Length of a streamed body when known; None means chunked on
    HTTP/1.1 (or simply DATA frames until END_STREAM on HTTP/2).
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Stream = b""
    length: int | None = None


def json_bytes(data: Any) -> bytes:
    """Stable JSON: fixed key order as given, indented, newline-terminated, ASCII-safe."""
    return (json.dumps(data, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def json_response(
    data: Any, status: int = 200, headers: Iterable[tuple[str, str]] = ()
) -> Response:
    return Response(
        status, [("Content-Type", "application/json"), *headers], json_bytes(data)
    )


def text_response(
    text: str, status: int = 200, headers: Iterable[tuple[str, str]] = ()
) -> Response:
    return Response(
        status, [("Content-Type", "text/plain; charset=utf-8"), *headers], text.encode()
    )


async def read_request(scope: Scope, receive: Receive, own_hosts: frozenset[str]) -> Request | None:
    """Collect the body (bounded, else RequestTooLarge); None when the client left meanwhile."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_REQUEST_BODY:
            raise RequestTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    server = scope.get("server")
    return Request(
        method=scope["method"],
        scheme=scope.get("scheme", "http"),
        path=unquote(scope.get("path", "/"), errors="replace"),
        raw_path=scope.get("raw_path") or scope.get("path", "/").encode("latin-1", "replace"),
        query_string=scope.get("query_string", b""),
        headers=[(bytes(k), bytes(v)) for k, v in scope.get("headers", [])],
        http_version=scope.get("http_version", "1.1"),
        body=b"".join(chunks),
        server=(server[0], int(server[1])) if server else None,
        own_hosts=own_hosts,
    )


async def watch_disconnect(receive: Receive, request: Request) -> None:
    """Wait for ``http.disconnect`` so generators and sleeps can stop early."""
    while (await receive())["type"] != "http.disconnect":
        pass
    request.disconnected.set()


async def sleep_unless_gone(request: Request, seconds: float) -> bool:
    """Sleep; False when the client disconnected first (the caller should stop)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(request.disconnected.wait(), timeout=max(0.0, seconds))
    return not request.disconnected.is_set()


async def send_response(request: Request, response: Response, send: Send) -> None:
    """Send status, headers and body; HEAD and 204/304 get the headers only."""
    headers = list(response.headers)
    if isinstance(response.body, bytes):
        headers.append(("Content-Length", str(len(response.body))))
    elif response.length is not None:
        headers.append(("Content-Length", str(response.length)))
    lower = request.http_version.startswith("2")  # HTTP/2 forbids upper-case field names
    raw = [
        ((k.lower() if lower else k).encode("latin-1"), v.encode("latin-1")) for k, v in headers
    ]
    await send({"type": "http.response.start", "status": response.status, "headers": raw})
    skip_body = request.method == "HEAD" or response.status in _NO_BODY
    if skip_body or isinstance(response.body, bytes):
        body = b"" if skip_body else response.body
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return
    stream = response.body()
    try:
        async for chunk in stream:
            if request.disconnected.is_set():
                return
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
    finally:
        await stream.aclose()
    await send({"type": "http.response.body", "body": b"", "more_body": False})


class RequestTooLarge(Exception):
    """The request body passed MAX_REQUEST_BODY; answered with 413."""


Handler = Callable[[Request, re.Match[str]], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Route:
    """One route: ``/status/{code}`` style pattern, its compiled form, the handler, a summary."""

    pattern: str
    regex: re.Pattern[str]
    handler: Handler
    summary: str
    methods: frozenset[str] | None = None


class Router:
    """An ordered list of routes; the first whose pattern matches the whole path wins."""

    def __init__(self, *routers: Router) -> None:
        self.routes: list[Route] = [r for router in routers for r in router.routes]

    def route(
        self, pattern: str, summary: str, *, methods: Iterable[str] | None = None
    ) -> Callable[[Handler], Handler]:
        """Register a handler; ``{name}`` matches one segment, a trailing ``...`` anything."""
        regex = re.escape(pattern).replace(r"\.\.\.", ".*")
        regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", regex)

        def register(handler: Handler) -> Handler:
            allowed = frozenset(methods) if methods is not None else None
            self.routes.append(Route(pattern, re.compile(regex), handler, summary, allowed))
            return handler

        return register

    def match(self, path: str) -> tuple[Route, re.Match[str]] | None:
        for route in self.routes:
            found = route.regex.fullmatch(path)
            if found is not None:
                return route, found
        return None
