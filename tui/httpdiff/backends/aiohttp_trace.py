"""The aiohttp recorder: phases, connection facts and the request as sent, for one send.

One ``AiohttpTrace`` is created per send and found through the context variable
``CURRENT`` (aiohttp runs the connector, the resolver and the request in the
caller's task, or in tasks that copy its context). A send through aiohttp is one
or more hops (one per redirect followed); the connector opens each hop, since
aiohttp asks it for a connection exactly once per hop, before the request goes
out.

Phases come from the session's own classes, not from ``TraceConfig`` signals:
an empty ``TraceConfig`` alone costs ~20 µs of CPU a request (params objects and
a signal dispatch for every event), ~4% of a fast loopback request, which a
bench would count against aiohttp. The hooks are public extension points
(``request_class``, ``response_class``, the connector, the resolver), each a
call to the library's own method between two clock readings:

=========  ==================================================================
dns        ``TimedResolver.resolve``; None for IP literals and cache hits (the
           resolver is not asked)
connect    ``WatchingConnector.connect`` when it hands out a transport it had not
           seen, from the end of the DNS lookup if there was one (so TCP and TLS:
           dns and connect never overlap); None for a pooled connection
tls        never: the handshake happens inside the connector
send       ``TimedRequest.send`` entered → its return (headers written) or, with
           a body, the end of ``write_bytes``
wait       end of send → ``TimedResponse.start`` returns (the final headers are
           parsed, before the body: not the literal first byte)
download   timed by the backend around its own body read
reused     the connector had seen the transport before (``FactsCache``)
=========  ==================================================================

With ``Settings.phases`` off the session uses aiohttp's plain classes and only
the connector records (hops, reuse, facts). With ``Settings.keep_content`` the
session also has a ``TraceConfig`` (``capture_config()``), whose
``request_headers_sent`` and ``request_chunk_sent`` signals give the headers
aiohttp wrote (defaults included, in order) and the body bytes: that is the one
place aiohttp shows them. Timing-only sends (a bench) go without it.

Transport facts cannot wait for the response: ``resp.connection`` is gone once
the payload is read, often right after the headers, so the connector records
them as it hands out the connection.
"""

from __future__ import annotations

import asyncio
import socket
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp.abc import ResolveResult
from aiohttp.connector import Connection

from httpdiff.backends.capture import (
    BodyBuffer,
    FactsCache,
    connection_info,
    header_list,
    span_ms,
    version_text,
)
from httpdiff.model import ConnectionInfo, Hop, SentRequest, Timings

CURRENT: ContextVar[AiohttpTrace | None] = ContextVar("httpdiff_aiohttp_trace", default=None)

# The statuses aiohttp follows (and signals as redirects) when redirects are allowed.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(slots=True)
class HopRecord:
    """One request aiohttp put on a connection, and what it got back."""

    marks: dict[str, float] = field(default_factory=dict)
    method: str = ""
    # The URL object aiohttp sent to; made text only when needed (str() costs µs).
    url_object: Any = None
    # The connector handed out a connection: the request went out (or was about to).
    connected: bool = False
    # The headers and body as written: only with content kept (capture_config).
    headers: list[tuple[str, str]] | None = None
    body: BodyBuffer | None = None
    connection: ConnectionInfo | None = None
    # The connector had seen the transport before: a reused connection.
    reused: bool | None = None
    # The response whose headers ended this hop, and whether aiohttp follows it.
    response: aiohttp.ClientResponse | None = None
    redirect: bool = False


def response_version(response: aiohttp.ClientResponse) -> str:
    """aiohttp's HttpVersion tuple as "HTTP/1.1" (empty if it has none)."""
    version = response.version
    return version_text(version.major, version.minor) if version is not None else ""


_NO_HOP = HopRecord()


class AiohttpTrace:
    """Everything recorded about one send, hop by hop."""

    __slots__ = ("body_limit", "follow", "hops", "keep_content")

    def __init__(self, body_limit: int, keep_content: bool = True, follow: bool = True) -> None:
        self.body_limit = body_limit
        # False: timing only; the request's headers and body are not copied.
        self.keep_content = keep_content
        # Whether aiohttp follows redirects on this send (which 3xx make a hop).
        self.follow = follow
        self.hops: list[HopRecord] = []

    @property
    def final(self) -> HopRecord:
        """The latest hop (an empty record before the connector opened one)."""
        return self.hops[-1] if self.hops else _NO_HOP

    def open_hop(self, method: str, url: Any) -> HopRecord:
        hop = HopRecord(method=method, url_object=url)
        self.hops.append(hop)
        return hop

    def mark(self, name: str) -> None:
        if self.hops:
            self.hops[-1].marks[name] = time.perf_counter()

    def answered(self, response: aiohttp.ClientResponse) -> None:
        """A hop's response headers are parsed: its wait ends, and it may be a redirect."""
        if not self.hops:
            return
        hop = self.hops[-1]
        hop.marks["headers_in"] = time.perf_counter()
        hop.response = response
        hop.redirect = self.follow and response.status in REDIRECT_STATUSES

    def settle(self, final: aiohttp.ClientResponse) -> None:
        """After a send returned ``final``: a 3xx aiohttp did not follow (no Location) is no hop."""
        hop = self.final
        if hop.response is final:
            hop.redirect = False

    def reused(self) -> bool | None:
        return self.final.reused

    def sent(self, index: int = -1, *, unrecorded: bool = False) -> SentRequest | None:
        """The request a hop put on the wire, or None if its headers were not recorded.

        Timing only, headers are never recorded: ``unrecorded`` gives the method and
        URL then (a failure needs them; a snapshot knows them without this).
        """
        if not self.hops:
            return None
        hop = self.hops[index]
        if hop.headers is None:
            if unrecorded and hop.connected:
                return SentRequest(hop.method, str(hop.url_object), ())
            return None
        body = hop.body.body if hop.body is not None else b""
        return SentRequest(hop.method, str(hop.url_object), tuple(hop.headers), body)

    def redirects(self) -> tuple[Hop, ...]:
        """Every hop that ended in a redirect aiohttp followed (or gave up on), in order."""
        hops = []
        for index, hop in enumerate(self.hops):
            response = hop.response
            if response is None or not hop.redirect:
                continue
            sent = self.sent(index) or SentRequest(response.method, str(response.url), ())
            hops.append(
                Hop(
                    request=sent,
                    status=response.status,
                    reason=response.reason or "",
                    http_version=response_version(response),
                    headers=header_list(response.raw_headers),
                )
            )
        return tuple(hops)

    def connection(self) -> ConnectionInfo:
        """The final hop's connection facts; they carry ``reused`` (see ``FactsCache``)."""
        return self.final.connection or ConnectionInfo()

    def timings(
        self, total: float | None, body_start: float | None = None, body_end: float | None = None
    ) -> Timings:
        marks = self.final.marks
        sent = marks.get("body_out") or marks.get("headers_out")
        dns_end = marks.get("dns_end")
        return Timings(
            dns=span_ms(marks.get("dns_start"), dns_end),
            # The connector resolves first: the lookup is the dns phase, not connect's.
            connect=span_ms(dns_end or marks.get("connect_start"), marks.get("connect_end")),
            tls=None,
            send=span_ms(marks.get("send_start"), sent),
            wait=span_ms(sent, marks.get("headers_in")),
            download=span_ms(body_start, body_end),
            total=total,
        )


# --- the hooks ------------------------------------------------------------------------------


class TimedRequest(aiohttp.ClientRequest):
    """Marks when aiohttp starts writing a request, and when it finished."""

    # The hop this request belongs to: its body writer may finish (or be cancelled)
    # after the next hop has opened, e.g. when a 3xx came before the body was read.
    _httpdiff_hop: HopRecord | None = None

    async def send(self, conn: Connection) -> aiohttp.ClientResponse:
        recorder = CURRENT.get()
        if recorder is None or not recorder.hops:
            return await super().send(conn)
        hop = self._httpdiff_hop = recorder.hops[-1]
        hop.marks["send_start"] = time.perf_counter()
        response = await super().send(conn)
        # Without a body the headers are on the socket now; with one, write_bytes
        # (a task of its own) marks the end.
        hop.marks["headers_out"] = time.perf_counter()
        return response

    async def write_bytes(self, *args: Any, **kwargs: Any) -> None:
        await super().write_bytes(*args, **kwargs)
        # Only a body written to the end ends the send (a cancelled writer does not).
        if self._httpdiff_hop is not None:
            self._httpdiff_hop.marks["body_out"] = time.perf_counter()


class TimedResponse(aiohttp.ClientResponse):
    """Marks when a response's headers are parsed (before any of its body is read)."""

    async def start(self, connection: Connection) -> TimedResponse:
        await super().start(connection)
        recorder = CURRENT.get()
        if recorder is not None:
            recorder.answered(self)
        return self


class TimedResolver(aiohttp.ThreadedResolver):
    """``getaddrinfo`` in a thread, as aiohttp's own, timed for the send that asked."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        recorder = CURRENT.get()
        if recorder is None:
            return await super().resolve(host, port, family)
        recorder.mark("dns_start")
        try:
            return await super().resolve(host, port, family)
        finally:
            recorder.mark("dns_end")


def transport_facts(transport: asyncio.BaseTransport | None) -> ConnectionInfo:
    """Addresses and TLS facts of a transport, read at once (they vanish with it)."""
    if transport is None:
        return ConnectionInfo()
    return connection_info(
        transport.get_extra_info("peername"),
        transport.get_extra_info("sockname"),
        transport.get_extra_info("ssl_object"),
        None,
    )


class WatchingConnector(aiohttp.TCPConnector):
    """A TCPConnector that opens the send's next hop and records the connection it gets.

    ``timed``: mark the time spent getting a connection (the connect phase when
    the transport is new).
    """

    def __init__(self, *args: Any, timed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._facts = FactsCache()
        self._timed = timed

    async def connect(self, req: aiohttp.ClientRequest, *args: Any, **kwargs: Any) -> Connection:
        recorder = CURRENT.get()
        if recorder is None:
            return await super().connect(req, *args, **kwargs)
        hop = recorder.open_hop(req.method, req.url)
        if not self._timed:
            connection = await super().connect(req, *args, **kwargs)
        else:
            started = time.perf_counter()
            connection = await super().connect(req, *args, **kwargs)
            ended = time.perf_counter()
        hop.connected = True
        transport = connection.transport
        if transport is not None:
            hop.connection, hop.reused = self._facts.get(
                transport, lambda: transport_facts(transport)
            )
            if self._timed and not hop.reused:
                hop.marks["connect_start"] = started
                hop.marks["connect_end"] = ended
        return connection


# --- capturing the request as sent (content kept) -------------------------------------------


def _recorder(context: SimpleNamespace) -> AiohttpTrace | None:
    recorder = getattr(context, "trace_request_ctx", None)
    return recorder if isinstance(recorder, AiohttpTrace) else None


async def _on_headers_sent(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceRequestHeadersSentParams,
) -> None:
    recorder = _recorder(context)
    if recorder is None or not recorder.hops:
        return
    # A copy: the live multidict belongs to the request object.
    recorder.final.headers = [(str(name), str(value)) for name, value in params.headers.items()]


async def _on_chunk_sent(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceRequestChunkSentParams,
) -> None:
    recorder = _recorder(context)
    if recorder is None or not recorder.hops:
        return
    hop = recorder.final
    if hop.body is None:
        hop.body = BodyBuffer(recorder.body_limit)
    hop.body.add(bytes(params.chunk))


def capture_config() -> aiohttp.TraceConfig:
    """A TraceConfig recording the headers and body written, into the send's ``AiohttpTrace``."""
    config = aiohttp.TraceConfig()
    config.on_request_headers_sent.append(_on_headers_sent)
    config.on_request_chunk_sent.append(_on_chunk_sent)
    return config
