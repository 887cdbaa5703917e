"""The aiohttp recorder: ``TraceConfig`` signals and connection facts for one send.

One ``AiohttpTrace`` is created per send and passed as ``trace_request_ctx``;
the shared ``TraceConfig`` built by ``trace_config()`` routes every signal to
it. aiohttp fires ``on_request_start`` and ``on_request_end`` once per send
(around the whole redirect chain), so hops are split at
``on_request_redirect``, lazily: aiohttp fires that signal for every 3xx
before it looks for a Location, and a 3xx without one is the final response,
not a hop. The next hop opens only when a request event arrives after the
signal; ``settle()`` takes the signal back when none did. Events become phases of the final hop (all
``time.perf_counter()``):

=========  ==================================================================
dns        ``dns_resolvehost_start`` → ``_end``; None for IP literals and cache hits
connect    ``connection_create_start`` → ``_end`` (includes DNS and TLS)
tls        never: the handshake happens inside ``connection_create``
send       ``request_headers_sent`` → last ``request_chunk_sent``; None for a request
           without a body (no event marks the end of writing the headers alone)
wait       end of send (or ``request_headers_sent``) → ``request_end`` (fires once the
           final response's headers are parsed, before its body: not the first byte)
download   timed by the backend around its own body read (``response_chunk_received``
           fires only from ``read()``, never while iterating ``content``)
reused     ``connection_reuseconn`` (True) or ``connection_create_end`` (False);
           without either (tracing off), whether the connector saw the transport before
=========  ==================================================================

The request as sent comes from ``request_headers_sent`` (the headers aiohttp
wrote, defaults included, in order) and the ``request_chunk_sent`` bytes.
Transport facts cannot wait for the response: ``resp.connection`` is gone once
the payload is read, often right after the headers. ``WatchingConnector``
records them as soon as a connection is handed out, finding the recorder of
the send in progress through a context variable (aiohttp awaits the connector
in the caller's task, so the variable set by the send is visible there).
"""

from __future__ import annotations

import asyncio
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp.connector import Connection

from httpdiff.backends.capture import (
    BodyBuffer,
    FactsCache,
    connection_info,
    header_list,
    span_ms,
    version_text,
    with_reused,
)
from httpdiff.model import ConnectionInfo, Hop, SentRequest, Timings

CURRENT: ContextVar[AiohttpTrace | None] = ContextVar("httpdiff_aiohttp_trace", default=None)


@dataclass
class HopRecord:
    marks: dict[str, float] = field(default_factory=dict)
    method: str = ""
    url: str = ""
    headers: list[tuple[str, str]] | None = None
    # The URL object aiohttp sent to, kept instead of ``url`` when content is not kept.
    url_object: Any = None
    body: BodyBuffer | None = None
    connection: ConnectionInfo | None = None
    # The connector's word on reuse (its transport was seen before): the fallback
    # when no reuse or create signal came, as without tracing.
    seen: bool | None = None
    # The redirect response that ended this hop (None for the final hop).
    response: aiohttp.ClientResponse | None = None


def response_version(response: aiohttp.ClientResponse) -> str:
    """aiohttp's HttpVersion tuple as "HTTP/1.1" (empty if it has none)."""
    version = response.version
    return version_text(version.major, version.minor) if version is not None else ""


class AiohttpTrace:
    """Everything aiohttp reported about one send, hop by hop."""

    def __init__(self, body_limit: int, keep_content: bool = True) -> None:
        self.body_limit = body_limit
        # False: timing only; the request's headers and body are not copied.
        self.keep_content = keep_content
        self.hops: list[HopRecord] = [HopRecord()]
        # A redirect signal whose next request has not started (yet, or ever).
        self._pending = False

    @property
    def final(self) -> HopRecord:
        """The last hop that exists (read side: never opens one)."""
        return self.hops[-1]

    def current(self) -> HopRecord:
        """The hop a request event belongs to, opening the next one after a redirect."""
        if self._pending:
            self._pending = False
            self.hops.append(HopRecord())
        return self.hops[-1]

    def redirected(self, response: aiohttp.ClientResponse) -> None:
        self.final.response = response
        self._pending = True

    def settle(self, final: aiohttp.ClientResponse) -> None:
        """After a send returned ``final``: a redirect signal for it was no hop after all."""
        if self._pending and self.final.response is final:
            self.final.response = None
        self._pending = False

    def mark(self, name: str, *, last: bool = False, opens: bool = True) -> None:
        now = time.perf_counter()
        marks = (self.current() if opens else self.final).marks
        if last:
            marks[name] = now
        else:
            marks.setdefault(name, now)

    def reused(self) -> bool | None:
        marks = self.final.marks
        if "reuseconn" in marks:
            return True
        if "create_end" in marks:
            return False
        return self.final.seen

    def sent(self, index: int = -1, *, unrecorded: bool = False) -> SentRequest | None:
        """The request a hop put on the wire, or None if its headers never went out.

        Timing only, its headers were not kept: ``unrecorded`` gives its method and
        URL then (a failure needs them; a snapshot knows them without this).
        """
        hop = self.hops[index]
        if hop.headers is None:
            if unrecorded and hop.url_object is not None:
                return SentRequest(hop.method, str(hop.url_object), ())
            return None
        body = hop.body.body if hop.body is not None else b""
        return SentRequest(method=hop.method, url=hop.url, headers=tuple(hop.headers), body=body)

    def redirects(self) -> tuple[Hop, ...]:
        """Every hop that ended in a redirect aiohttp followed (or gave up on), in order."""
        hops = []
        for index, hop in enumerate(self.hops):
            response = hop.response
            if response is None:
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
        return with_reused(self.final.connection or ConnectionInfo(), self.reused())

    def timings(
        self, total: float | None, body_start: float | None = None, body_end: float | None = None
    ) -> Timings:
        marks = self.final.marks
        headers_sent = marks.get("headers_sent")
        body_sent = marks.get("chunk_sent")
        return Timings(
            dns=span_ms(marks.get("dns_start"), marks.get("dns_end")),
            connect=span_ms(marks.get("create_start"), marks.get("create_end")),
            tls=None,
            send=span_ms(headers_sent, body_sent),
            wait=span_ms(body_sent or headers_sent, marks.get("request_end")),
            download=span_ms(body_start, body_end),
            total=total,
        )


def _recorder(context: SimpleNamespace) -> AiohttpTrace | None:
    recorder = getattr(context, "trace_request_ctx", None)
    return recorder if isinstance(recorder, AiohttpTrace) else None


def _marker(name: str, *, last: bool = False, opens: bool = True) -> Any:
    async def handler(
        session: aiohttp.ClientSession, context: SimpleNamespace, params: Any
    ) -> None:
        recorder = _recorder(context)
        if recorder is not None:
            recorder.mark(name, last=last, opens=opens)

    return handler


async def _on_redirect(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceRequestRedirectParams,
) -> None:
    recorder = _recorder(context)
    if recorder is not None:
        recorder.redirected(params.response)


async def _on_headers_sent(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceRequestHeadersSentParams,
) -> None:
    recorder = _recorder(context)
    if recorder is None:
        return
    recorder.mark("headers_sent")
    hop = recorder.current()
    hop.method = params.method
    if not recorder.keep_content:
        hop.url_object = params.url  # turned into text only if a failure needs it
        return
    hop.url = str(params.url)
    # A copy: the live multidict belongs to the request object.
    hop.headers = [(str(name), str(value)) for name, value in params.headers.items()]


async def _on_chunk_sent(
    session: aiohttp.ClientSession,
    context: SimpleNamespace,
    params: aiohttp.TraceRequestChunkSentParams,
) -> None:
    recorder = _recorder(context)
    if recorder is None:
        return
    recorder.mark("chunk_sent", last=True)
    if not recorder.keep_content:
        return
    hop = recorder.current()
    if hop.body is None:
        hop.body = BodyBuffer(recorder.body_limit)
    hop.body.add(bytes(params.chunk))


def trace_config() -> aiohttp.TraceConfig:
    """A TraceConfig feeding the ``AiohttpTrace`` given as ``trace_request_ctx``."""
    config = aiohttp.TraceConfig()
    config.on_dns_resolvehost_start.append(_marker("dns_start"))
    config.on_dns_resolvehost_end.append(_marker("dns_end"))
    config.on_connection_create_start.append(_marker("create_start"))
    config.on_connection_create_end.append(_marker("create_end"))
    config.on_connection_reuseconn.append(_marker("reuseconn"))
    config.on_request_headers_sent.append(_on_headers_sent)
    config.on_request_chunk_sent.append(_on_chunk_sent)
    # Fires once, after the chain: it belongs to the last hop and never opens one.
    config.on_request_end.append(_marker("request_end", opens=False))
    config.on_request_redirect.append(_on_redirect)
    return config


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
    """A TCPConnector that tells the current send's recorder which transport it got."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._facts = FactsCache()

    async def connect(self, *args: Any, **kwargs: Any) -> Connection:
        connection = await super().connect(*args, **kwargs)
        recorder = CURRENT.get()
        transport = connection.transport
        if recorder is not None and transport is not None:
            hop = recorder.current()
            hop.connection, hop.seen = self._facts.get(
                transport, lambda: transport_facts(transport)
            )
        return connection

