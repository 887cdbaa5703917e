"""Both real backends: HTTP versions, TLS and connection facts, timings, and every failure.

Liar routes (the demo's raw listener) and unreachable hosts must come back as a
``Failure`` of a sensible kind, within a bounded time; cancellation must
propagate instead of becoming a failure.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from backend_support import SMALL, at, ok
from httpdiff.backends import Backend, Settings
from httpdiff.model import (
    Body,
    Failure,
    FailureKind,
    Options,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
)


def failed(outcome: Outcome) -> Failure:
    assert isinstance(outcome, Failure), outcome
    assert outcome.exception_type and "\n" not in outcome.message
    return outcome


def tls(demo: Any, path: str = "/echo", **options: Any) -> RequestSpec:
    return RequestSpec(url=at(demo.https_url, path),
                       options=Options(ca_bundle=str(demo.ca_path), **options))


async def test_tls_facts_and_alpn(backend: Backend, demo: Any) -> None:
    snap = ok(await backend.send(tls(demo, http2=True), SMALL))
    conn = snap.connection
    assert conn.tls_version in ("TLSv1.2", "TLSv1.3")
    assert conn.cipher
    assert conn.remote_address and conn.remote_address.startswith("127.0.0.1:")
    assert conn.local_address and conn.local_address.startswith("127.0.0.1:")
    # aiohttp has no HTTP/2: asked for it, it still speaks HTTP/1.1. That is the comparison.
    expected = {"httpx": ("HTTP/2", "h2"), "aiohttp": ("HTTP/1.1", "http/1.1")}[backend.name]
    assert (snap.http_version, conn.alpn) == expected
    plain = ok(await backend.send(tls(demo), SMALL))
    assert (plain.http_version, plain.connection.alpn) == ("HTTP/1.1", "http/1.1")


async def test_h2c_with_prior_knowledge(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/echo"), options=Options(http2=True))
    snap = ok(await backend.send(spec, SMALL))
    assert snap.http_version == {"httpx": "HTTP/2", "aiohttp": "HTTP/1.1"}[backend.name]
    assert snap.connection.tls_version is None


async def test_second_send_reuses_the_connection(backend: Backend, demo: Any) -> None:
    first = ok(await backend.send(tls(demo), SMALL))
    second = ok(await backend.send(tls(demo), SMALL))
    assert (first.connection.reused, second.connection.reused) == (False, True)
    assert second.connection.tls_version == first.connection.tls_version
    assert second.timings.connect is None and second.timings.tls is None
    assert second.timings.dns is None
    fresh = ok(await backend.send(tls(demo), Settings(fresh_connection=True)))
    assert fresh.connection.reused is False


async def test_timings_present_or_none_as_documented(backend: Backend, demo: Any) -> None:
    snap = ok(await backend.send(tls(demo, "/bytes/200000"), Settings()))
    t = snap.timings
    assert t.dns is None  # httpx: never observable; aiohttp: an IP literal has no lookup
    assert t.connect is not None and t.connect > 0
    if backend.name == "httpx":
        assert t.tls is not None and t.tls > 0
        assert t.send is not None
    else:
        assert t.tls is None  # inside aiohttp's connector
        assert t.send is not None  # TimedRequest.send: headers written
    assert t.wait is not None and t.wait > 0
    assert t.download is not None and t.download > 0
    assert t.total is not None
    phases = [v for v in (t.connect, t.tls, t.send, t.wait, t.download) if v is not None]
    assert sum(phases) <= t.total
    post = RequestSpec(method="POST", url=at(demo.http_url, "/echo"),
                       body=Body(kind="text", text="x" * 10))
    assert ok(await backend.send(post, SMALL)).timings.send is not None


async def test_redirect_timings_are_the_final_hops(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect/2"),
                       options=Options(follow_redirects=True))
    snap = ok(await backend.send(spec, SMALL))
    assert len(snap.redirects) == 2
    # The first hop opened a connection; the final hop's phases say whether it got a
    # pooled one (aiohttp sometimes opens another while the last is being released).
    if snap.connection.reused:
        assert snap.timings.connect is None
    else:
        assert snap.timings.connect is not None
    assert snap.timings.wait is not None and snap.timings.total is not None
    assert snap.timings.wait < snap.timings.total


async def test_untrusted_certificate_is_a_tls_failure(backend: Backend, demo: Any) -> None:
    failure = failed(await backend.send(RequestSpec(url=at(demo.https_url, "/echo")), SMALL))
    assert failure.kind is FailureKind.TLS
    assert failure.request is None
    insecure = RequestSpec(url=at(demo.https_url, "/echo"), options=Options(verify=False))
    assert ok(await backend.send(insecure, SMALL)).status == 200


async def test_unresolvable_host_is_a_dns_failure(backend: Backend) -> None:
    spec = RequestSpec(url="http://no-such-host.invalid/", options=Options(timeout=10))
    assert failed(await backend.send(spec, SMALL)).kind is FailureKind.DNS


async def test_closed_port_is_a_connect_failure(backend: Backend) -> None:
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago, now closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    spec = RequestSpec(url=f"http://127.0.0.1:{port}/", options=Options(timeout=5))
    failure = failed(await backend.send(spec, SMALL))
    assert failure.kind is FailureKind.CONNECT
    assert failure.timings.total is not None


async def test_invalid_request_is_refused_before_sending(backend: Backend) -> None:
    failure = failed(await backend.send(RequestSpec(url="ftp://h.test/"), SMALL))
    assert failure.kind is FailureKind.INVALID_REQUEST
    assert failure.exception_type == "httpdiff.errors.InvalidRequest"


@pytest.mark.parametrize(
    ("path", "kinds"),
    [
        ("/wrong-length", {FailureKind.PROTOCOL}),
        ("/truncated-chunked", {FailureKind.PROTOCOL}),
        ("/bad-gzip", {FailureKind.DECODING}),
        ("/bad-status", {FailureKind.PROTOCOL}),
        ("/never", {FailureKind.TIMEOUT}),
    ],
)
async def test_liar_routes_fail_with_a_sensible_kind(
    backend: Backend, demo: Any, path: str, kinds: set[FailureKind]
) -> None:
    spec = RequestSpec(url=at(demo.raw_url, path), options=Options(timeout=1.0))
    started = time.monotonic()
    failure = failed(await backend.send(spec, SMALL))
    assert failure.kind in kinds, failure
    assert time.monotonic() - started < 5
    assert failure.timings.total is not None


async def test_liar_ok_and_endless(backend: Backend, demo: Any) -> None:
    assert ok(await backend.send(RequestSpec(url=at(demo.raw_url, "/ok")), SMALL)).status == 200
    spec = RequestSpec(url=at(demo.raw_url, "/endless"), options=Options(timeout=2.0))
    started = time.monotonic()
    snap = ok(await backend.send(spec, Settings(max_body_bytes=100_000)))
    assert snap.truncated and len(snap.body) == 100_000
    assert time.monotonic() - started < 5


async def test_total_deadline_covers_the_body(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/slow-body?seconds=3"), options=Options(timeout=0.5))
    started = time.monotonic()
    failure = failed(await backend.send(spec, SMALL))
    assert failure.kind is FailureKind.TIMEOUT
    assert time.monotonic() - started < 2.5


async def test_cancellation_propagates(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/delay/5"), options=Options(timeout=10))
    task = asyncio.ensure_future(backend.send(spec, SMALL))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=5)
    # The backend is still usable after a cancelled send.
    assert ok(await backend.send(RequestSpec(url=at(demo.http_url, "/status/204")), SMALL))


async def test_dns_is_timed_only_where_observable(backend: Backend, demo: Any) -> None:
    port = demo.http_url.rsplit(":", 1)[1].rstrip("/")
    spec = RequestSpec(url=f"http://localhost:{port}/status/200", options=Options(timeout=5))
    first = ok(await backend.send(spec, Settings(fresh_connection=True)))
    if backend.name == "aiohttp":
        assert first.timings.dns is not None  # a name, looked up through the resolver
        # A reused connection needs neither a lookup nor a connect: None, not 0.
        await backend.send(spec, SMALL)
        again = ok(await backend.send(spec, SMALL))
        assert again.connection.reused is True
        assert (again.timings.dns, again.timings.connect) == (None, None)
    else:
        assert first.timings.dns is None  # inside httpcore's connect_tcp
    assert first.timings.connect is not None


# Framing the two HTTP/1.1 parsers judge differently (h11 in httpx, llhttp in aiohttp): the
# comparison must show one side's response next to the other side's failure. If a release
# changes either parser, this test says so.
@pytest.mark.parametrize(
    ("path", "accepted_by", "refused_by"),
    [
        ("/length-and-chunked", "httpx", "aiohttp"),
        ("/double-length", "httpx", "aiohttp"),
        ("/gzip-transfer-coding", "aiohttp", "httpx"),
    ],
)
async def test_parsers_disagree_on_ambiguous_framing(
    demo: Any, path: str, accepted_by: str, refused_by: str
) -> None:
    from httpdiff.compare import compare

    spec = RequestSpec(url=f"{demo.raw_url}{path}", options=Options(timeout=5))
    result = await compare(spec)
    ok, failed = result.outcomes[accepted_by], result.outcomes[refused_by]
    assert isinstance(ok, ResponseSnapshot) and ok.status == 200
    assert isinstance(failed, Failure) and failed.kind is FailureKind.PROTOCOL
    assert any(f.category.value == "error" and f.is_difference for f in result.findings)
