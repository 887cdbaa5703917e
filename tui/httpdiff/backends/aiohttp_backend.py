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
whole send, body included, runs under one ``asyncio.timeout`` deadline, and
aiohttp's own ``ClientTimeout(total=...)`` is set to the same value.
Timings and the sent request come from ``aiohttp_trace``; with redirects the
phases are the final hop's and ``total`` spans the chain.

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
import ssl
import time
from typing import Any, ClassVar

import aiohttp
from aiohttp import http_exceptions
from multidict import CIMultiDict

from httpdiff.backends import request_parts
from httpdiff.backends.aiohttp_trace import (
    CURRENT,
    AiohttpTrace,
    WatchingConnector,
    response_version,
    trace_config,
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
)
from httpdiff.backends.tls import ContextCache, unverified_context
from httpdiff.errors import InvalidRequest
from httpdiff.model import (
    Failure,
    FailureKind,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
)
from httpdiff.validate import check

# Pool limits, set explicitly and to the same values as the httpx backend.
POOL_SIZE = 100
KEEPALIVE_S = 15.0
DNS_CACHE_S = 10
READ_CHUNK = 64 * 1024


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


class AiohttpBackend(Backend):
    """aiohttp.ClientSession behind the Backend interface."""

    name: ClassVar[str] = "aiohttp"

    def __init__(self) -> None:
        self._contexts = ContextCache(_build_context)
        self._session: aiohttp.ClientSession | None = None

    def _new_session(self, fresh: bool) -> aiohttp.ClientSession:
        connector = WatchingConnector(
            limit=POOL_SIZE,
            limit_per_host=0,
            keepalive_timeout=KEEPALIVE_S,
            force_close=False,
            use_dns_cache=True,
            ttl_dns_cache=DNS_CACHE_S,
            resolver=aiohttp.ThreadedResolver(),
        )
        return aiohttp.ClientSession(
            connector=connector,
            connector_owner=True,
            trace_configs=[trace_config()],
            trust_env=False,
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            auto_decompress=True,
            raise_for_status=False,
        )

    def _session_for(self, fresh: bool) -> aiohttp.ClientSession:
        if fresh:
            return self._new_session(fresh)
        if self._session is None or self._session.closed:
            self._session = self._new_session(fresh)
        return self._session

    async def prepare(self, spec: RequestSpec, settings: Settings) -> None:
        with contextlib.suppress(Exception):  # send() reports the same problem as a Failure
            if not settings.fresh_connection:
                self._session_for(fresh=False)
            if spec.url.lower().startswith("https:"):
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
        limit = settings.max_body_bytes
        try:
            check(spec)
        except InvalidRequest as exc:
            return Failure(self.name, FailureKind.INVALID_REQUEST, qualified_name(exc), str(exc))
        opts = spec.options
        trace = AiohttpTrace(limit)
        session = self._session_for(settings.fresh_connection)
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
            async with asyncio.timeout(opts.timeout):
                kwargs = await self._body_kwargs(spec)
                response = await session.request(
                    spec.method,
                    request_parts.full_url(spec),
                    headers=sent_headers,
                    allow_redirects=opts.follow_redirects,
                    # aiohttp fails when its count reaches the limit (0: no limit).
                    max_redirects=opts.max_redirects + 1,
                    timeout=aiohttp.ClientTimeout(total=opts.timeout),
                    ssl=self._contexts.get(opts.verify, opts.ca_bundle),
                    proxy=opts.proxy or None,
                    trace_request_ctx=trace,
                    **kwargs,
                )
                trace.settle(response)
                body_start = time.perf_counter()
                buffer = BodyBuffer(limit)
                async for chunk in response.content.iter_chunked(READ_CHUNK):
                    if not buffer.add(chunk):
                        break
                complete = not buffer.truncated
                body_end = time.perf_counter()
            headers = header_list(response.raw_headers)
            total = (time.perf_counter() - started) * 1000.0
            return ResponseSnapshot(
                backend=self.name,
                request=trace.sent() or SentRequest(spec.method, str(response.url), ()),
                status=response.status,
                reason=response.reason or "",
                http_version=response_version(response),
                headers=headers,
                body=buffer.body,
                text=decode_text(buffer.body, content_type_of(headers)),
                truncated=buffer.truncated,
                redirects=trace.redirects(),
                timings=trace.timings(total, body_start, body_end),
                connection=trace.connection(),
            )
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            return self._failure(exc, trace, started)
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

    def _failure(self, exc: Exception, trace: AiohttpTrace, started: float) -> Failure:
        kind = classify(exc)
        return Failure(
            backend=self.name,
            kind=kind,
            exception_type=qualified_name(exc),
            message=one_line(exc),
            request=trace.sent(),
            timings=trace.timings((time.perf_counter() - started) * 1000.0),
            redirects=trace.redirects(),
        )

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            with contextlib.suppress(Exception):
                await session.close()
