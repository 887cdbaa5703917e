"""The httpx backend: one send through ``httpx.AsyncClient``, every option explicit.

Clients are created lazily, one per distinct (http2, prior knowledge, verify,
CA bundle, proxy, max redirects) configuration, and kept so connections are
reused; ``Settings.fresh_connection`` uses a throw-away client instead. HTTP/2
is negotiated with ALPN over https and used with prior knowledge over plain
http (``http1=False, http2=True``). ``trust_env=False``: proxies and CA files
come from the request, never from the environment.

The response is streamed (``stream=True``) and read through ``aiter_bytes``,
i.e. after httpx's own content decoding, so the cap counts decoded bytes; a
capped response is closed unread, which drops its connection. The whole send,
body included, runs under one ``asyncio.timeout`` deadline (httpx's own
timeout is per operation, so it is also set, to the same value, as a backstop).

The request as sent is ``response.request`` after building and auth, Host and
httpx's defaults included. Over HTTP/2 the headers are shown as they went out:
names lowercase, and without the connection-specific ones (Connection,
Keep-Alive, Transfer-Encoding...) that httpcore and h2 drop; Host stands for the
``:authority`` pseudo-header it becomes.

Timings come from the ``trace`` extension (see ``httpx_trace``); with redirects
they are the final hop's phases, and ``total`` spans the whole chain. With
``Settings.phases`` off no trace is given: download is timed around the body
read, and reuse is whether the connection's network stream was seen before.
Cookies set during one send do not carry into the next: each send starts from
an empty jar, so a comparison never depends on what was sent before.

Failures map to the most specific kind::

    InvalidURL, UnsupportedProtocol ........... invalid_request
    TooManyRedirects .......................... too_many_redirects
    DecodingError (bad gzip, brotli...) ....... decoding
    TimeoutException, TimeoutError ............ timeout
    ConnectError: gaierror in chain ........... dns
                  ssl error in chain .......... tls
                  otherwise ................... connect
    ProxyError ................................ connect
    RemoteProtocolError, Read/WriteError ...... protocol
    anything else ............................. other
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from typing import ClassVar

# httpcore imports its I/O layer (anyio's asyncio backend, h11, h2) during the first
# request; importing them with the backend keeps that one-off cost (hundreds of ms)
# out of the first send's timings, which would otherwise make httpx look slow.
import anyio._backends._asyncio  # noqa: F401
import h2.connection  # noqa: F401
import h11  # noqa: F401
import httpx

from httpdiff.backends import request_parts
from httpdiff.backends.base import Backend, Settings
from httpdiff.backends.capture import (
    BodyBuffer,
    FactsCache,
    builtin_kind,
    capped,
    connection_info,
    content_type_of,
    decode_text,
    h2_wire_headers,
    header_list,
    one_line,
    qualified_name,
    span_ms,
    with_reused,
)
from httpdiff.backends.httpx_trace import RECORDER, HttpxTrace, on_request, on_response
from httpdiff.backends.tls import ContextCache, unverified_context
from httpdiff.errors import InvalidRequest
from httpdiff.model import (
    ConnectionInfo,
    Failure,
    FailureKind,
    Hop,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)

# Pool limits, set explicitly and to the same values as the aiohttp backend.
POOL_SIZE = 100
KEEPALIVE_S = 15.0

_ClientKey = tuple[bool, bool, bool, str, str, int]


def _build_context(verify: bool, ca_bundle: str) -> ssl.SSLContext:
    """What httpx itself would build: certifi's roots by default, the CA file when given."""
    if not verify:
        return unverified_context()
    if ca_bundle:
        return ssl.create_default_context(cafile=ca_bundle)
    return httpx.create_ssl_context(verify=True, trust_env=False)


def _request_body(request: httpx.Request, limit: int) -> bytes:
    try:
        return capped(request.content, limit)
    except httpx.RequestNotRead:
        pass
    # A 307/308 hop re-sends the first request's stream without reading it into
    # ``content``. httpdiff builds every body in memory (bytes, JSON, form, multipart
    # parts), so the stream can be iterated again to show what went out.
    stream = request.stream
    if not isinstance(stream, httpx.SyncByteStream):
        return b""
    try:
        return capped(b"".join(stream), limit)
    except httpx.StreamError:
        return b""


def _wire_url(request: httpx.Request) -> str:
    """The URL as it went out: user info becomes Authorization, a fragment is never sent."""
    url = request.url
    text = str(url)
    # copy_with re-parses the URL: only pay for it when there is something to drop.
    if url.userinfo or "#" in text:
        text = str(url.copy_with(userinfo=b"", fragment=None))
    return text


def _sent(
    request: httpx.Request, limit: int, http_version: str = "", keep: bool = True
) -> SentRequest:
    """The request as it went out; with ``keep`` False, its method and URL only."""
    if not keep:
        return SentRequest(request.method, _wire_url(request), ())
    headers = header_list(request.headers.raw)
    return SentRequest(
        method=request.method,
        url=_wire_url(request),
        headers=h2_wire_headers(headers) if http_version == "HTTP/2" else headers,
        body=_request_body(request, limit),
    )


def _hop(response: httpx.Response, limit: int) -> Hop:
    return Hop(
        request=_sent(response.request, limit, response.http_version),
        status=response.status_code,
        reason=response.reason_phrase,
        http_version=response.http_version,
        headers=header_list(response.headers.raw),
    )


def classify(exc: BaseException) -> FailureKind:
    """The most specific FailureKind for an exception raised while sending with httpx."""
    if isinstance(exc, InvalidRequest | httpx.InvalidURL | httpx.UnsupportedProtocol):
        return FailureKind.INVALID_REQUEST
    if isinstance(exc, httpx.TooManyRedirects):
        return FailureKind.TOO_MANY_REDIRECTS
    if isinstance(exc, httpx.DecodingError):
        return FailureKind.DECODING
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return FailureKind.TIMEOUT
    if isinstance(exc, httpx.ConnectError | httpx.ProxyError):
        return builtin_kind(exc) or FailureKind.CONNECT
    if isinstance(exc, httpx.ProtocolError | httpx.ReadError | httpx.WriteError):
        return builtin_kind(exc) or FailureKind.PROTOCOL
    return builtin_kind(exc) or FailureKind.OTHER


class HttpxBackend(Backend):
    """httpx.AsyncClient behind the Backend interface."""

    name: ClassVar[str] = "httpx"
    unobservable: ClassVar[frozenset[str]] = frozenset({"dns"})  # inside connect_tcp

    def __init__(self) -> None:
        self._contexts = ContextCache(_build_context)
        self._clients: dict[_ClientKey, httpx.AsyncClient] = {}
        self._facts = FactsCache()

    def _key(self, spec: RequestSpec) -> _ClientKey:
        opts = spec.options
        prior_knowledge = opts.http2 and spec.url.lower().startswith("http://")
        ca = opts.ca_bundle if opts.verify else ""
        return (opts.http2, prior_knowledge, opts.verify, ca, opts.proxy, opts.max_redirects)

    def _new_client(self, key: _ClientKey) -> httpx.AsyncClient:
        http2, prior_knowledge, verify, ca, proxy, max_redirects = key
        # Split contexts by http2 too: httpcore rewrites the ALPN list of the context it uses.
        context = self._contexts.get(verify, ca, http2)
        return httpx.AsyncClient(
            http1=not prior_knowledge,
            http2=http2,
            verify=context,
            proxy=proxy or None,
            trust_env=False,
            follow_redirects=False,
            max_redirects=max_redirects,
            limits=httpx.Limits(
                max_connections=POOL_SIZE,
                max_keepalive_connections=POOL_SIZE,
                keepalive_expiry=KEEPALIVE_S,
            ),
            event_hooks={"request": [on_request], "response": [on_response]},
        )

    def _client(self, key: _ClientKey, fresh: bool) -> httpx.AsyncClient:
        if fresh:
            return self._new_client(key)
        client = self._clients.get(key)
        if client is None or client.is_closed:
            client = self._clients[key] = self._new_client(key)
        return client

    async def prepare(self, spec: RequestSpec, settings: Settings) -> None:
        with contextlib.suppress(Exception):  # send() reports the same problem as a Failure
            if settings.fresh_connection:
                opts = spec.options
                self._contexts.get(opts.verify, opts.ca_bundle, opts.http2)
            else:
                self._client(self._key(spec), fresh=False)

    async def _build(
        self, client: httpx.AsyncClient, spec: RequestSpec, trace: HttpxTrace, phases: bool
    ) -> httpx.Request:
        body = spec.body
        kwargs: dict[str, object] = {}
        if body.kind in ("text", "file"):
            kwargs["content"] = await request_parts.raw_body(spec)
        elif body.kind == "json":
            kwargs["json"] = request_parts.json_value(spec)
        elif body.kind == "form":
            # httpx takes a mapping: repeated names become a list, grouped by first appearance.
            form: dict[str, list[str]] = {}
            for name, value in body.fields:
                form.setdefault(name, []).append(value)
            kwargs["data"] = form
        elif body.kind == "multipart":
            # Every field goes through files= so httpx keeps their order; a text field
            # has no filename, which httpx renders as a plain form-data part.
            kwargs["files"] = [
                (p.name, (p.filename, p.data) if p.is_file else (None, p.value.encode("utf-8")))
                for p in await request_parts.multipart_parts(spec)
            ]
        request = client.build_request(
            spec.method,
            request_parts.full_url(spec),
            headers=request_parts.headers_for(spec),
            timeout=httpx.Timeout(spec.options.timeout),
            # httpcore reads "trace" (and ignores keys it does not know); the hooks
            # find the recorder under RECORDER even when tracing is off.
            extensions={"trace": trace, RECORDER: trace} if phases else {RECORDER: trace},
            **kwargs,  # type: ignore[arg-type]
        )
        if body.kind == "multipart":
            request.read()  # so the multipart bytes can be shown as sent
        return request

    async def send(self, spec: RequestSpec, settings: Settings) -> Outcome:
        limit, keep = settings.max_body_bytes, settings.keep_content
        if (refused := self.refusal(spec)) is not None:
            return refused
        trace = HttpxTrace()
        key = self._key(spec)
        client = self._client(key, settings.fresh_connection)
        client.cookies.clear()
        auth = (
            httpx.BasicAuth(spec.auth.username, spec.auth.password)
            if spec.auth.kind == "basic"
            else None
        )
        response: httpx.Response | None = None
        body_end: float | None = None
        # The clock starts once the client exists (building it is setup, not the request)
        # and inside the deadline: entering and leaving it is httpdiff's time, not httpx's.
        started = time.perf_counter()
        try:
            async with asyncio.timeout(spec.options.timeout):
                started = time.perf_counter()
                request = await self._build(client, spec, trace, settings.phases)
                response = await client.send(
                    request,
                    auth=auth,
                    follow_redirects=spec.options.follow_redirects,
                    stream=True,
                )
                facts, seen = self._connection_facts(response)
                connection = with_reused(facts, trace.reused() if settings.phases else seen)
                buffer = BodyBuffer(limit, keep)
                body_start = time.perf_counter()
                async for chunk in response.aiter_bytes():
                    if not buffer.add(chunk):
                        break
                body_end = time.perf_counter()
                # Stopped before httpdiff copies and decodes anything: not the library's time.
                total = (body_end - started) * 1000.0
            headers = header_list(response.headers.raw) if keep else ()
            return ResponseSnapshot(
                backend=self.name,
                request=_sent(response.request, limit, response.http_version, keep),
                status=response.status_code,
                reason=response.reason_phrase,
                http_version=response.http_version,
                headers=headers,
                body=buffer.body,
                text=decode_text(buffer.body, content_type_of(headers)) if keep else "",
                truncated=buffer.truncated,
                redirects=tuple(_hop(r, limit) for r in response.history),
                timings=(
                    trace.timings(total, body_end) if settings.phases
                    else Timings(download=span_ms(body_start, body_end), total=total)
                ),
                connection=connection,
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return self._failure(exc, trace, started, limit)
        finally:
            if response is not None:
                with contextlib.suppress(Exception):
                    await response.aclose()
            if settings.fresh_connection:
                with contextlib.suppress(Exception):
                    await client.aclose()

    def _connection_facts(self, response: httpx.Response) -> tuple[ConnectionInfo, bool | None]:
        """Addresses and TLS facts of the response's connection (kept per live stream),
        and whether that stream was seen before (a reused connection).

        The redirect hops' streams are looked at first, in order: a connection a hop
        opened and the final response reused counts as reused.
        """
        for hop in response.history:
            self._stream_facts(hop)
        return self._stream_facts(response)

    def _stream_facts(self, response: httpx.Response) -> tuple[ConnectionInfo, bool | None]:
        stream = response.extensions.get("network_stream")
        if stream is None:
            return ConnectionInfo(), None
        return self._facts.get(stream, lambda: connection_info(
            stream.get_extra_info("server_addr"),
            stream.get_extra_info("client_addr"),
            stream.get_extra_info("ssl_object"),
            None,
        ))

    def _failure(
        self, exc: Exception, trace: HttpxTrace, started: float, limit: int
    ) -> Failure:
        kind = classify(exc)
        # Every response seen is a hop, except one to the last request: that is the
        # response that failed mid-body (too many redirects stops before a new request).
        request = trace.requests[-1] if trace.requests else None
        # The request counts as sent once its headers started out (not if the connect failed).
        sent = request if "send_request_headers.started" in trace.final else None
        seen = [
            r
            for r in trace.responses
            if kind is FailureKind.TOO_MANY_REDIRECTS or r.request is not request
        ]
        return Failure(
            backend=self.name,
            kind=kind,
            exception_type=qualified_name(exc),
            message=one_line(exc),
            request=_sent(sent, limit) if sent is not None else None,
            timings=trace.timings((time.perf_counter() - started) * 1000.0),
            redirects=tuple(_hop(r, limit) for r in seen),
        )

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            with contextlib.suppress(Exception):
                await client.aclose()
