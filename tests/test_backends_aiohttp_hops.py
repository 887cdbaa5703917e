"""aiohttp's hops, phases and failures as ``aiohttp_trace`` records them, in awkward cases.

Redirect statuses and chains, uploads redirected before their body was read, looked-up
hosts, failures at every stage, retries, concurrency. Real servers only: the demo
server, plus tiny raw asyncio listeners for answers the demo cannot give.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from backend_support import SMALL, at, ok
from httpdiff import backends
from httpdiff.backends import Backend, Settings
from httpdiff.model import Body, Failure, FailureKind, Options, Outcome, RequestSpec, Timings

FOLLOW = Options(follow_redirects=True)
TIMING_ONLY = Settings(max_body_bytes=64 * 1024, keep_content=False)
NO_PHASES = Settings(max_body_bytes=64 * 1024, phases=False)
ALL_MODES = [SMALL, TIMING_ONLY, NO_PHASES]
MODE_IDS = ["full", "timing-only", "no-phases"]


def failed(outcome: Outcome) -> Failure:
    assert isinstance(outcome, Failure), outcome
    return outcome


def phase_sum(t: Timings) -> float:
    return sum(v for v in (t.dns, t.connect, t.tls, t.send, t.wait, t.download) if v is not None)


@contextlib.asynccontextmanager
async def raw_server(answer: bytes) -> AsyncIterator[str]:
    """A listener that reads a request head, writes ``answer`` and closes: its base URL."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(answer)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@pytest.fixture
async def aio() -> AsyncIterator[Backend]:
    async with backends.create("aiohttp") as created:
        yield created


# --- once wrong ------------------------------------------------------------------------


async def test_3xx_without_location_is_no_redirect_with_phases_off(
    aio: Backend, demo: Any
) -> None:
    """With phases off, redirects come from ``response.history``, which for a 3xx
    without Location includes the final response itself (aiohttp appends before it
    looks for the Location): the final 302 is listed as a hop of itself."""
    spec = RequestSpec(url=at(demo.http_url, "/status/302"), options=FOLLOW)
    with_phases = ok(await aio.send(spec, SMALL))
    without = ok(await aio.send(spec, NO_PHASES))
    assert with_phases.status == without.status == 302
    assert with_phases.redirects == ()
    assert without.redirects == ()


@pytest.mark.parametrize("fresh", [False, True], ids=["pooled", "fresh"])
def test_phases_of_a_looked_up_host_fit_in_the_total(demo: Any, fresh: bool) -> None:
    """aiohttp's connect span (``WatchingConnector.connect``) contains the DNS lookup that
    ``TimedResolver`` reports as its own phase, so dns is counted twice: the phases add up
    to more than the total (waterfall past the total, HAR dns + connect > the send).

    The lookup is made slow for real (the loop's executor, where ``getaddrinfo`` runs, is
    busy for 50 ms) so the overlap is larger than any slack in the total.
    """
    port = demo.http_url.rstrip("/").rsplit(":", 1)[1]
    spec = RequestSpec(url=f"http://localhost:{port}/echo")

    async def main() -> Timings:
        loop = asyncio.get_running_loop()
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        loop.set_default_executor(executor)
        settings = Settings(fresh_connection=fresh)
        async with backends.create("aiohttp") as aio:
            # Set-up off the clock (SSL context, session) with an IP literal: no lookup.
            ok(await aio.send(RequestSpec(url=at(demo.http_url, "/echo")), settings))
            busy = loop.run_in_executor(None, time.sleep, 0.05)
            outcome = ok(await aio.send(spec, settings))
            await busy
        return outcome.timings

    t = asyncio.run(main())
    assert t.dns is not None and t.dns >= 40
    assert t.connect is not None and t.total is not None
    assert phase_sum(t) <= t.total


async def _early_redirector(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """``/rNNN`` answers NNN (Location: /echo) at once, before reading the request body, as
    a server redirecting http to https does; ``/echo`` answers a GET after 20 ms."""
    with contextlib.suppress(Exception):
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ")[1].decode()
            if path.startswith("/r"):
                writer.write(
                    f"HTTP/1.1 {path[2:]} Moved\r\nLocation: /echo\r\nContent-Length: 0\r\n"
                    "Connection: close\r\n\r\n".encode()
                )
                await writer.drain()
                await asyncio.sleep(0.05)
                break
            await asyncio.sleep(0.02)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
    writer.close()


@pytest.mark.parametrize("status", [301, 302, 303])
@pytest.mark.parametrize("settings", [SMALL, TIMING_ONLY], ids=["full", "timing-only"])
async def test_a_redirected_upload_keeps_its_body_end_on_its_own_hop(
    aio: Backend, status: int, settings: Settings
) -> None:
    """A POST whose server redirects before reading the body: aiohttp cancels the first
    hop's body writer when it releases the 3xx, after ``WatchingConnector.connect`` has
    opened the next hop. ``TimedRequest.write_bytes`` then marks ``body_out`` on
    ``hops[-1]``, the GET hop: its send ends before it started (None, though a GET's send
    is observable) and its wait starts at the first hop's cancellation, spanning the
    second hop's connect and send.
    """
    server = await asyncio.start_server(_early_redirector, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        spec = RequestSpec(
            method="POST", url=f"http://127.0.0.1:{port}/r{status}",
            body=Body(kind="text", text="x" * 16_000_000), options=FOLLOW,
        )
        snap = ok(await aio.send(spec, settings))
        get = ok(await aio.send(RequestSpec(url=f"http://127.0.0.1:{port}/echo"), settings))
    finally:
        server.close()
    assert snap.status == 200 and snap.request.method == "GET"
    assert [h.status for h in snap.redirects] == [status]
    assert get.timings.send is not None  # the same GET, sent directly
    assert snap.timings.send is not None


# --- kept right ----------------------------------------------------------------


@pytest.mark.parametrize("settings", ALL_MODES, ids=MODE_IDS)
async def test_redirect_statuses_make_one_hop_each(
    aio: Backend, demo: Any, settings: Settings
) -> None:
    for status in (301, 302, 303, 307, 308):
        spec = RequestSpec(
            method="POST",
            url=at(demo.http_url, f"/redirect-to?url=/echo&status={status}"),
            body=Body(kind="text", text="payload"),
            options=FOLLOW,
        )
        snap = ok(await aio.send(spec, settings))
        assert snap.status == 200
        assert [h.status for h in snap.redirects] == [status]
        hop = snap.redirects[0]
        assert hop.request.method == "POST"
        assert hop.request.url.endswith(f"status={status}")
        if settings.keep_content and settings.phases:
            assert hop.request.body == b"payload"  # captured per hop
            replayed = status in (307, 308)
            assert snap.request.body == (b"payload" if replayed else b"")
        assert snap.request.method == ("POST" if status in (307, 308) else "GET")


@pytest.mark.parametrize("settings", ALL_MODES, ids=MODE_IDS)
async def test_chain_off_and_too_many(aio: Backend, demo: Any, settings: Settings) -> None:
    chain = ok(await aio.send(RequestSpec(url=at(demo.http_url, "/redirect/3"), options=FOLLOW),
                              settings))
    assert [h.request.url.rsplit("/", 1)[1] for h in chain.redirects] == ["3", "2", "1"]
    off = ok(await aio.send(RequestSpec(url=at(demo.http_url, "/redirect/3")), settings))
    assert off.status == 302 and off.redirects == ()
    too_many = failed(await aio.send(
        RequestSpec(url=at(demo.http_url, "/redirect/3"),
                    options=Options(follow_redirects=True, max_redirects=1)), settings))
    assert too_many.kind is FailureKind.TOO_MANY_REDIRECTS
    assert [h.request.url.rsplit("/", 1)[1] for h in too_many.redirects] == ["3", "2"]
    no_location = ok(await aio.send(
        RequestSpec(url=at(demo.http_url, "/status/302"), options=FOLLOW), SMALL))
    assert no_location.redirects == ()


async def test_later_hop_on_a_new_tls_connection(aio: Backend, demo: Any) -> None:
    """Facts, reuse and connect are the final hop's, across hosts and ports."""
    opts = Options(follow_redirects=True, ca_bundle=str(demo.ca_path))
    ok(await aio.send(RequestSpec(url=at(demo.http_url, "/echo"), options=opts), SMALL))  # warm
    target = at(demo.https_url, "/echo")
    spec = RequestSpec(url=at(demo.http_url, f"/redirect-to?url={target}"), options=opts)
    snap = ok(await aio.send(spec, SMALL))
    assert len(snap.redirects) == 1
    assert snap.connection.tls_version is not None
    assert snap.connection.remote_address == target.split("//")[1].split("/")[0]
    assert snap.connection.reused is False and snap.timings.connect is not None
    again = ok(await aio.send(spec, SMALL))
    assert again.connection.reused is True and again.timings.connect is None


async def test_failures_request_and_hops(aio: Backend, demo: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    refused = failed(await aio.send(RequestSpec(url=f"http://127.0.0.1:{port}/"), SMALL))
    assert refused.kind is FailureKind.CONNECT and refused.request is None
    untrusted = failed(await aio.send(RequestSpec(url=at(demo.https_url, "/echo")), SMALL))
    assert untrusted.kind is FailureKind.TLS and untrusted.request is None
    spec = RequestSpec(url=at(demo.http_url, f"/redirect-to?url={at(demo.https_url, '/echo')}"),
                       options=FOLLOW)
    for settings in (SMALL, TIMING_ONLY):
        hop_then_tls = failed(await aio.send(spec, settings))
        assert hop_then_tls.kind is FailureKind.TLS and hop_then_tls.request is None
        assert [h.status for h in hop_then_tls.redirects] == [302]
    slow = RequestSpec(url=at(demo.http_url, "/slow-body?seconds=3"), options=Options(timeout=0.4))
    timeout = failed(await aio.send(slow, SMALL))
    assert timeout.kind is FailureKind.TIMEOUT and timeout.request is not None
    assert timeout.timings.wait is not None


@pytest.mark.parametrize("settings", [SMALL, TIMING_ONLY], ids=["full", "timing-only"])
async def test_3xx_without_location_is_no_redirect_when_its_body_fails(
    aio: Backend, settings: Settings
) -> None:
    """A 302 without Location is the final response, also when its body is cut: ``settle``
    runs as soon as ``session.request`` returns, before the body read that fails."""
    answer = (
        b"HTTP/1.1 302 Found\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n"
        b"Connection: close\r\n\r\nonly ten b"
    )
    async with raw_server(answer) as base:
        spec = RequestSpec(url=at(base, "/x"), options=FOLLOW)
        failure = failed(await aio.send(spec, settings))
    assert failure.kind is FailureKind.PROTOCOL
    assert failure.redirects == ()  # nothing was followed


async def test_hops_kept_when_the_final_body_times_out(aio: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect-to?url=/slow-body%3Fseconds%3D3"),
                       options=Options(follow_redirects=True, timeout=0.4))
    for settings in (SMALL, TIMING_ONLY):
        failure = failed(await aio.send(spec, settings))
        assert failure.kind is FailureKind.TIMEOUT
        assert [h.status for h in failure.redirects] == [302]
        assert failure.request is not None and "/slow-body" in failure.request.url


async def _drops_second_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers the first request of a connection, hangs up on the second (a stale keep-alive)."""
    with contextlib.suppress(Exception):
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
    writer.close()


@pytest.mark.parametrize("settings", [SMALL, TIMING_ONLY], ids=["full", "timing-only"])
async def test_retry_on_a_dropped_pooled_connection_is_the_final_hop(
    aio: Backend, settings: Settings
) -> None:
    """aiohttp retries an idempotent request once when a pooled connection was dropped: the
    connector is asked twice for one request, and the retry's hop (new connection) wins."""
    server = await asyncio.start_server(_drops_second_request, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/x"
    try:
        ok(await aio.send(RequestSpec(url=url), settings))
        snap = ok(await aio.send(RequestSpec(url=url), settings))
    finally:
        server.close()
    assert snap.redirects == ()
    assert snap.connection.reused is False and snap.timings.connect is not None
    assert snap.timings.send is not None and snap.timings.wait is not None


async def test_concurrent_sends_keep_their_own_recorders(aio: Backend, demo: Any) -> None:
    specs = [
        RequestSpec(url=at(demo.http_url, f"/redirect/{i % 4}"), options=FOLLOW,
                    headers=(("X-Id", str(i)),))
        for i in range(24)
    ]
    for settings in (SMALL, TIMING_ONLY):
        outcomes = await asyncio.gather(*(aio.send(s, settings) for s in specs))
        for i, outcome in enumerate(outcomes):
            snap = ok(outcome)
            assert len(snap.redirects) == i % 4
            t = snap.timings
            assert t.send is not None and t.wait is not None
            assert t.total is not None and phase_sum(t) <= t.total
            if settings.keep_content:
                assert ("X-Id", str(i)) in snap.request.headers
                assert all(("X-Id", str(i)) in h.request.headers for h in snap.redirects)


@pytest.mark.parametrize("kind", ["text", "multipart"])
async def test_send_with_a_body_ends_after_the_body(
    aio: Backend, demo: Any, kind: str
) -> None:
    fields: tuple[tuple[str, str], ...] = (("a", "y" * 200_000), ("b", "z" * 200_000))
    body = Body(kind="text", text="x" * 400_000) if kind == "text" else Body(kind=kind,
                                                                         fields=fields)
    spec = RequestSpec(method="POST", url=at(demo.http_url, "/echo"), body=body)
    snap = ok(await aio.send(spec, Settings(max_body_bytes=2_000_000)))
    t = snap.timings
    assert t.send is not None and t.wait is not None and t.total is not None
    assert phase_sum(t) <= t.total
    assert len(snap.request.body) >= 400_000


async def test_fresh_connection_sessions(aio: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect/1"), options=FOLLOW)
    for settings in (Settings(fresh_connection=True),
                     Settings(fresh_connection=True, keep_content=False)):
        for _ in range(2):
            snap = ok(await aio.send(spec, settings))
            assert len(snap.redirects) == 1
            assert snap.connection.remote_address is not None
            # the first hop is always new; the final one may reuse it
            assert snap.connection.reused is not None
