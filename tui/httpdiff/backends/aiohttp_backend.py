"""The aiohttp backend: one send through ``aiohttp.ClientSession``, every option explicit.

aiohttp takes redirects, timeout, SSL context and proxy per request, so one
session serves every configuration and keeps its pool (aiohttp keys the pool
on the SSL context object, which is why contexts are cached per setting);
``Settings.fresh_connection`` uses a throw-away session instead. aiohttp has no
HTTP/2: with ``http2`` requested it still sends HTTP/1.1, and that is part of
the comparison. The SSL contexts are built as aiohttp builds its own (system
roots, ALPN ``http/1.1``), or from the request's CA bundle.
``trust_env=False``; the resolver is the threaded one (``getaddrinfo``, as
httpx uses), named explicitly so an installed aiodns cannot change behaviour;
the cookie jar accepts IP hosts (as httpx's does) and is emptied before every
send, so a comparison never depends on what was sent before.
``max_redirects`` means what it means for httpx and in curl: that many
redirects are followed, the next one fails. aiohttp stops when its count
*reaches* the limit and treats 0 as unlimited, so it is given the limit plus
one; passing the number through unchanged made a chain of exactly N redirects
a difference, and ``max_redirects=0`` follow redirects forever.

The body is read from ``resp.content`` (already decoded by aiohttp) and capped
on decoded bytes; a capped response is closed, dropping its connection. The
request's timeout is aiohttp's own ``ClientTimeout(total=...)``, a deadline that
runs until the response is released, so it covers the body read; files for the
body are read first, under an ``asyncio.timeout``, and aiohttp gets what is left.
Timings and the sent request come from ``aiohttp_trace``: phases from the
session's own request, response, connector and resolver classes, the request as
written from ``TraceConfig`` signals when content is kept. With redirects the
phases are the final hop's and ``total`` spans the chain. With ``Settings.phases``
off the session uses aiohttp's plain classes: download is timed around the body
read, reuse comes from the connector, and redirects from ``response.history``.

Failures map to the most specific kind::

    InvalidURL ................................ invalid_request
    TooManyRedirects .......................... too_many_redirects
    ContentEncodingError in the chain ......... decoding
    TimeoutError (ServerTimeoutError, ...) .... timeout
    ClientConnectorDNSError, gaierror ......... dns
    ClientSSLError, certificate errors ........ tls
    ClientConnectorError, proxy errors ........ connect
    ServerDisconnected, ClientPayloadError,
    ClientResponseError, ClientOSError ........ protocol
    anything else ............................. other
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import ssl
import time
from collections.abc import Sequence
from typing import Any, ClassVar

import aiohttp
from aiohttp import http_exceptions
from multidict import CIMultiDict

from httpdiff.backends import request_parts
from httpdiff.backends.aiohttp_trace import (
    CURRENT,
    AiohttpTrace,
    TimedRequest,
    TimedResolver,
    TimedResponse,
    WatchingConnector,
    capture_config,
    response_version,
)
from httpdiff.backends.base import Backend, Settings
from httpdiff.backends.capture import (
    BodyBuffer,
    builtin_kind,
    chain,
    content_type_of,
    decode_text,
    header_list,
    one_line,
    qualified_name,
    span_ms,
)
from httpdiff.backends.tls import ContextCache, unverified_context
from httpdiff.errors import InvalidRequest
from httpdiff.model import (
    Failure,
    FailureKind,
    Hop,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)

# Pool limits, set explicitly and to the same values as the httpx backend.
POOL_SIZE = 100
KEEPALIVE_S = 15.0
DNS_CACHE_S = 10
# The least time left for aiohttp once reading the body's files used up the rest.
_LEAST_S = 0.001


def _build_context(verify: bool, ca_bundle: str) -> ssl.SSLContext:
    """What aiohttp itself would build (system roots, ALPN http/1.1), or the CA file's roots."""
    if not verify:
        context = unverified_context()
    elif ca_bundle:
        context = ssl.create_default_context(cafile=ca_bundle)
    else:
        context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    return context


@functools.lru_cache(maxsize=64)
def _client_timeout(total: float) -> aiohttp.ClientTimeout:
    # aiohttp rounds deadlines of 5 s or more up to a whole second of the loop's clock
    # (ceil_threshold), so a 5 s timeout could fire at 5.99 s: never round.
    return aiohttp.ClientTimeout(total=total, ceil_threshold=math.inf)


def classify(exc: BaseException) -> FailureKind:
    """The most specific FailureKind for an exception raised while sending with aiohttp."""
    if isinstance(exc, InvalidRequest | aiohttp.InvalidURL):
        return FailureKind.INVALID_REQUEST
    if isinstance(exc, aiohttp.TooManyRedirects):
        return FailureKind.TOO_MANY_REDIRECTS
    if any(isinstance(e, http_exceptions.ContentEncodingError) for e in chain(exc)):
        return FailureKind.DECODING
    if isinstance(exc, TimeoutError):
        return FailureKind.TIMEOUT
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return FailureKind.DNS
    if isinstance(exc, aiohttp.ClientSSLError | aiohttp.ClientConnectorCertificateError):
        return FailureKind.TLS
    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ClientProxyConnectionError):
        return builtin_kind(exc) or FailureKind.CONNECT
    if isinstance(
        exc,
        aiohttp.ServerDisconnectedError
        | aiohttp.ClientPayloadError
        | aiohttp.ClientResponseError
        | aiohttp.ClientOSError,
    ):
        return builtin_kind(exc) or FailureKind.PROTOCOL
    return builtin_kind(exc) or FailureKind.OTHER


def _unrecorded(asked: str, response: aiohttp.ClientResponse) -> SentRequest:
    """Method and URL of the final request when its headers were not kept (timing only)."""
    # str() of aiohttp's URL costs more than the rest of a timing-only snapshot; the
    # asked URL is the final one unless a redirect was followed (which may change the
    # method too: a 303 turns a POST into a GET).
    return SentRequest(response.method, str(response.url) if response.history else asked, ())


def _followed(
    history: Sequence[aiohttp.ClientResponse], final: aiohttp.ClientResponse
) -> Sequence[aiohttp.ClientResponse]:
    """``history`` without ``final``: aiohttp appends a 3xx before it finds it has no Location."""
    return history[:-1] if history and history[-1] is final else history


def _history(responses: Sequence[aiohttp.ClientResponse]) -> tuple[Hop, ...]:
    """Redirects aiohttp followed, from ``response.history`` or an error's (tracing off).

    Without trace signals the requests these hops sent are not known beyond their
    method and URL.
    """
    if not responses:
        return ()
    return tuple(
        Hop(
            request=SentRequest(hop.method, str(hop.url), ()),
            status=hop.status,
            reason=hop.reason or "",
            http_version=response_version(hop),
            headers=header_list(hop.raw_headers),
        )
        for hop in responses
    )


class AiohttpBackend(Backend):
    """aiohttp.ClientSession behind the Backend interface."""

    name: ClassVar[str] = "aiohttp"
    unobservable: ClassVar[frozenset[str]] = frozenset({"tls"})  # inside the connector

    def __init__(self) -> None:
        self._contexts = ContextCache(_build_context)
        # A pooled session per (phases, keep_content): what each one records is built
        # into it (its classes and trace signals), and what is not asked costs nothing.
        self._sessions: dict[tuple[bool, bool], aiohttp.ClientSession] = {}

    def _new_session(self, phases: bool, keep: bool) -> aiohttp.ClientSession:
        connector = WatchingConnector(
            limit=POOL_SIZE,
            limit_per_host=0,
            keepalive_timeout=KEEPALIVE_S,
            force_close=False,
            use_dns_cache=True,
            ttl_dns_cache=DNS_CACHE_S,
            resolver=TimedResolver() if phases else aiohttp.ThreadedResolver(),
            timed=phases,
        )
        return aiohttp.ClientSession(
            connector=connector,
            connector_owner=True,
            trace_configs=[capture_config()] if keep else [],
            request_class=TimedRequest if phases else aiohttp.ClientRequest,
            response_class=TimedResponse if phases else aiohttp.ClientResponse,
            trust_env=False,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            auto_decompress=True,
            raise_for_status=False,
        )

    def _session_for(self, settings: Settings) -> aiohttp.ClientSession:
        key = (settings.phases, settings.keep_content)
        if settings.fresh_connection:
            return self._new_session(*key)
        session = self._sessions.get(key)
        if session is None or session.closed:
            session = self._sessions[key] = self._new_session(*key)
        return session

    async def prepare(self, spec: RequestSpec, settings: Settings) -> None:
        with contextlib.suppress(Exception):  # send() reports the same problem as a Failure
            if not settings.fresh_connection:
                self._session_for(settings)
            # Every send passes a context, plain http too (a redirect may lead to https),
            # and building the first one loads the trust store: ~25 ms, kept off the clock.
            self._contexts.get(spec.options.verify, spec.options.ca_bundle)

    async def _body_kwargs(self, spec: RequestSpec) -> dict[str, Any]:
        body = spec.body
        if body.kind in ("text", "file"):
            return {"data": await request_parts.raw_body(spec)}
        if body.kind == "json":
            return {"json": request_parts.json_value(spec)}
        if body.kind == "form":
            return {"data": list(body.fields)}
        if body.kind == "multipart":
            form = aiohttp.FormData(default_to_multipart=True)
            for part in await request_parts.multipart_parts(spec):
                if part.is_file:
                    form.add_field(part.name, part.data, filename=part.filename)
                else:
                    form.add_field(part.name, part.value)
            return {"data": form}
        return {}

    async def send(self, spec: RequestSpec, settings: Settings) -> Outcome:
        limit, keep = settings.max_body_bytes, settings.keep_content
        opts = spec.options
        if (refused := self.refusal(spec)) is not None:
            return refused
        trace = AiohttpTrace(limit, keep, opts.follow_redirects)
        session = self._session_for(settings)
        session.cookie_jar.clear()
        # The clock starts once the session exists: building it is setup, not the request.
        started = time.perf_counter()
        sent_headers = CIMultiDict(request_parts.headers_for(spec))
        if spec.auth.kind == "basic":
            # aiohttp 3.14 deprecates ``auth=``; this helper is its own replacement for it.
            sent_headers.add(
                "Authorization", aiohttp.encode_basic_auth(spec.auth.username, spec.auth.password)
            )
        token = CURRENT.set(trace)
        response: aiohttp.ClientResponse | None = None
        complete = False
        try:
            if spec.body.kind in ("file", "multipart"):
                # Files are read before aiohttp's clock starts: same deadline, what is left.
                async with asyncio.timeout(opts.timeout):
                    kwargs = await self._body_kwargs(spec)
                remaining = max(opts.timeout - (time.perf_counter() - started), _LEAST_S)
            else:
                kwargs = await self._body_kwargs(spec)
                remaining = opts.timeout
            # aiohttp's total timeout runs until the response is released, so it is the
            # deadline of the body read too (an asyncio.timeout around it costs ~15 µs).
            asked = request_parts.full_url(spec)
            response = await session.request(
                spec.method,
                asked,
                headers=sent_headers,
                allow_redirects=opts.follow_redirects,
                # aiohttp fails when its count reaches the limit (0: no limit).
                max_redirects=opts.max_redirects + 1,
                timeout=_client_timeout(remaining),
                ssl=self._contexts.get(opts.verify, opts.ca_bundle),
                proxy=opts.proxy or None,
                trace_request_ctx=trace,
                **kwargs,
            )
            trace.settle(response)
            body_start = time.perf_counter()
            buffer = BodyBuffer(limit, keep)
            content = response.content
            # readany: whatever is buffered, in one call (iter_chunked costs ~5 µs more a send).
            while chunk := await content.readany():
                if not buffer.add(chunk):
                    break
            complete = not buffer.truncated
            body_end = time.perf_counter()
            # Stopped before httpdiff copies and decodes anything: not the library's time.
            total = (body_end - started) * 1000.0
            headers = header_list(response.raw_headers) if keep else ()
            return ResponseSnapshot(
                backend=self.name,
                request=trace.sent() or _unrecorded(asked, response),
                status=response.status,
                reason=response.reason or "",
                http_version=response_version(response),
                headers=headers,
                body=buffer.body,
                text=decode_text(buffer.body, content_type_of(headers)) if keep else "",
                truncated=buffer.truncated,
                redirects=(
                    trace.redirects() if settings.phases
                    else _history(_followed(response.history, response))
                ),
                timings=(
                    trace.timings(total, body_start, body_end) if settings.phases
                    else Timings(download=span_ms(body_start, body_end), total=total)
                ),
                connection=trace.connection(),
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return self._failure(exc, trace, started, settings.phases)
        finally:
            CURRENT.reset(token)
            if response is not None:
                # A fully read response gives its connection back; anything else drops it.
                if complete:
                    response.release()
                else:
                    response.close()
            if settings.fresh_connection:
                with contextlib.suppress(Exception):
                    await session.close()

    def _failure(
        self, exc: Exception, trace: AiohttpTrace, started: float, phases: bool
    ) -> Failure:
        kind = classify(exc)
        # Without trace signals the hops come from the error (TooManyRedirects has them).
        history = getattr(exc, "history", ())
        return Failure(
            backend=self.name,
            kind=kind,
            exception_type=qualified_name(exc),
            message=one_line(exc),
            request=trace.sent(unrecorded=True),
            timings=trace.timings((time.perf_counter() - started) * 1000.0),
            redirects=(
                trace.redirects() if phases
                else _history(history if isinstance(history, tuple) else ())
            ),
        )

    async def aclose(self) -> None:
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            with contextlib.suppress(Exception):
                await session.close()
