"""The bench's lighter send modes, on both real backends: timing only, and tracing off.

``Settings.keep_content=False`` keeps no body, text, headers or request copy but
still reads and times the body; ``Settings.phases=False`` turns the libraries'
tracing off and keeps download, total and reuse. Plus the per-send shortcuts
that make a repeated send cheap (a spec checked once, connection facts read
once per connection) and must never change what a send reports.
"""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path
from typing import Any

import pytest

from backend_support import SMALL, at, ok
from httpdiff import backends
from httpdiff.backends import Backend, Settings, capture
from httpdiff.model import Body, ConnectionInfo, Failure, FailureKind, Options, RequestSpec

TIMING_ONLY = Settings(max_body_bytes=64 * 1024, keep_content=False)
NO_PHASES = Settings(max_body_bytes=64 * 1024, phases=False)
TRACED_PHASES = ("send", "wait", "download")


async def test_timing_only_keeps_status_timings_and_facts_not_content(
    backend: Backend, demo: Any
) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/echo"), headers=(("X-Mine", "1"),))
    full = ok(await backend.send(spec, SMALL))
    await backend.send(spec, TIMING_ONLY)  # aiohttp pools timing-only sends apart
    lean = ok(await backend.send(spec, TIMING_ONLY))
    assert (lean.status, lean.http_version) == (full.status, full.http_version)
    assert (lean.body, lean.text, lean.headers) == (b"", "", ())
    assert lean.request.headers == () and lean.request.method == "GET"
    assert lean.request.url == full.request.url
    assert lean.timings.total is not None and lean.timings.download is not None
    assert lean.timings.wait is not None and lean.timings.send is not None  # still timed
    assert lean.connection.reused is True
    assert lean.connection.remote_address == full.connection.remote_address


async def test_timing_only_still_reads_to_the_cap(backend: Backend, demo: Any) -> None:
    capped = Settings(max_body_bytes=1000, keep_content=False)
    cut = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/bytes/5000")), capped))
    assert (cut.body, cut.truncated) == (b"", True)
    whole = ok(await backend.send(RequestSpec(url=at(demo.http_url, "/bytes/1000")), capped))
    assert (whole.body, whole.truncated) == (b"", False)


def test_body_buffer_that_only_counts() -> None:
    counting = capture.BodyBuffer(5, keep=False)
    assert counting.add(b"abc")
    assert not counting.add(b"defg")
    assert (counting.body, counting.size, counting.truncated) == (b"", 5, True)


async def test_no_phases_times_download_and_total_and_knows_reuse(
    backend: Backend, demo: Any
) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/echo"))
    traced = ok(await backend.send(spec, SMALL))
    first = ok(await backend.send(spec, NO_PHASES))
    again = ok(await backend.send(spec, NO_PHASES))
    assert first.body == traced.body and first.status == 200
    for snap in (first, again):
        timings = snap.timings
        assert timings.total is not None and timings.download is not None
        assert [getattr(timings, p) for p in ("dns", "connect", "tls", "send", "wait")] == [
            None
        ] * 5
    assert again.connection.reused is True
    assert again.connection.remote_address == traced.connection.remote_address
    # A capped body drops its connection: the next send opens one, and says so.
    ok(await backend.send(RequestSpec(url=at(demo.http_url, "/gzip-bomb")),
                          Settings(max_body_bytes=1024, phases=False)))
    assert ok(await backend.send(spec, NO_PHASES)).connection.reused is False


async def test_no_phases_cold_never_reuses(backend: Backend, demo: Any) -> None:
    cold = Settings(phases=False, fresh_connection=True)
    spec = RequestSpec(url=at(demo.http_url, "/echo"))
    reuse = [ok(await backend.send(spec, cold)).connection.reused for _ in range(3)]
    assert reuse == [False, False, False]


async def test_no_phases_still_records_redirects(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect/2"),
                       options=Options(follow_redirects=True))
    snap = ok(await backend.send(spec, NO_PHASES))
    assert snap.status == 200
    assert [hop.status for hop in snap.redirects] == [302, 302]
    assert [hop.request.url.rsplit("/", 1)[-1] for hop in snap.redirects] == ["2", "1"]


async def test_no_phases_failure_is_still_a_failure(backend: Backend) -> None:
    spec = RequestSpec(url="http://127.0.0.1:9/", options=Options(timeout=5))
    failure = await backend.send(spec, NO_PHASES)
    assert isinstance(failure, Failure) and failure.kind is FailureKind.CONNECT
    assert failure.timings.total is not None


async def test_connection_facts_are_read_once_and_stay_right(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/echo"))
    snaps = [ok(await backend.send(spec, SMALL)) for _ in range(3)]
    facts = {(s.connection.remote_address, s.connection.local_address) for s in snaps}
    assert len(facts) == 1 and None not in next(iter(facts))
    # A new connection (the cap drops the old one) brings its own local port.
    ok(await backend.send(RequestSpec(url=at(demo.http_url, "/gzip-bomb")),
                          Settings(max_body_bytes=1024)))
    fresh = ok(await backend.send(spec, SMALL))
    assert fresh.connection.reused is False
    assert fresh.connection.local_address != snaps[0].connection.local_address


async def test_a_file_body_is_checked_again_on_every_send(
    backend: Backend, demo: Any, tmp_path: Path
) -> None:
    path = tmp_path / "body.bin"
    path.write_bytes(b"payload")
    spec = RequestSpec(method="POST", url=at(demo.http_url, "/echo"),
                       body=Body(kind="file", path=str(path)))
    assert ok(await backend.send(spec, SMALL)).status == 200
    path.unlink()
    failure = await backend.send(spec, SMALL)
    assert isinstance(failure, Failure) and failure.kind is FailureKind.INVALID_REQUEST
    assert "body file" in failure.message


async def test_a_spec_once_checked_is_still_refused_when_another_is_bad(
    backend: Backend, demo: Any
) -> None:
    good = RequestSpec(url=at(demo.http_url, "/echo"))
    assert ok(await backend.send(good, SMALL)).status == 200
    bad = RequestSpec(url=at(demo.http_url, "/echo"), headers=(("X-Bad", "a\nb"),))
    failure = await backend.send(bad, SMALL)
    assert isinstance(failure, Failure) and failure.kind is FailureKind.INVALID_REQUEST
    assert ok(await backend.send(good, SMALL)).status == 200


class Transport:
    """Stands for a transport: any object that can be weakly referenced."""


def test_facts_cache_remembers_per_live_transport() -> None:
    reads: list[int] = []

    def read() -> ConnectionInfo:
        reads.append(1)
        return ConnectionInfo(remote_address=f"10.0.0.1:{len(reads)}")

    cache = capture.FactsCache()
    transport = Transport()
    first, seen_first = cache.get(transport, read)
    second, seen_second = cache.get(transport, read)
    third, _ = cache.get(transport, read)
    assert (seen_first, seen_second) == (False, True)
    assert (first.reused, second.reused) == (False, True) and second is third
    assert first.remote_address == second.remote_address == "10.0.0.1:1" and len(reads) == 1
    del transport
    gc.collect()
    assert cache.get(Transport(), read) == (
        ConnectionInfo(remote_address="10.0.0.1:2", reused=False), False
    )
    # Objects without weak references are read every time, and reuse is unknown.
    assert cache.get(7, read)[1] is None and cache.get(7, read)[1] is None
    assert len(reads) == 4


def test_long_content_types_are_parsed_without_being_kept() -> None:
    long_type = "text/plain; " + "x-pad=1; " * 40 + "charset=latin-1"
    assert capture.charset_of(long_type) == capture.charset_of("text/plain; charset=latin-1")
    assert capture.decode_text(b"caf\xe9", long_type) == "café"
    assert capture.charset_of("text/plain; charset=base64") == "utf-8"


# -- what a fresh-eyes review found; each failed before its fix ------------------------


async def test_aiohttp_keeps_a_long_deadline_to_the_millisecond(demo: Any) -> None:
    # aiohttp rounds deadlines of 5 s or more up to a whole second of the loop clock, so
    # a send started just after one could run ~1 s late and succeed.
    loop = asyncio.get_running_loop()
    async with backends.create("aiohttp") as aiohttp_backend:
        spec = RequestSpec(url=at(demo.http_url, "/delay/5.6"), options=Options(timeout=5.0))
        while loop.time() % 1 > 0.05:
            await asyncio.sleep(0.01)
        started = time.monotonic()
        failure = await aiohttp_backend.send(spec, SMALL)
        assert isinstance(failure, Failure) and failure.kind is FailureKind.TIMEOUT
        assert time.monotonic() - started < 5.4


async def test_httpx_reuse_counts_a_connection_a_redirect_hop_opened(demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect/1"),
                       options=Options(follow_redirects=True))
    # httpx reads the redirect's body and sends the next request over the same
    # connection; tracing on or off must say so alike. (aiohttp reuses it only when the
    # redirect's body had fully arrived at release: a race, so no fixed answer there.)
    for cold in (False, True):
        verdicts = []
        for phases in (True, False):
            async with backends.create("httpx") as fresh:
                snap = ok(await fresh.send(spec, Settings(fresh_connection=cold, phases=phases)))
            assert len(snap.redirects) == 1
            verdicts.append(snap.connection.reused)
        assert verdicts == [True, True], cold


async def test_timing_only_names_the_method_after_a_303(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(method="POST", url=at(demo.http_url, "/redirect-to?url=/echo&status=303"),
                       body=Body(kind="text", text="x"), options=Options(follow_redirects=True))
    for settings in (SMALL, TIMING_ONLY, NO_PHASES):
        snap = ok(await backend.send(spec, settings))
        assert (snap.request.method, snap.request.url.endswith("/echo")) == ("GET", True)


async def test_failures_keep_hops_and_request_in_every_mode(backend: Backend, demo: Any) -> None:
    spec = RequestSpec(url=at(demo.http_url, "/redirect/3"),
                       options=Options(follow_redirects=True, max_redirects=1, timeout=5))
    for settings in (SMALL, TIMING_ONLY, NO_PHASES):
        failure = await backend.send(spec, settings)
        assert isinstance(failure, Failure), settings
        assert failure.kind is FailureKind.TOO_MANY_REDIRECTS
        assert [hop.status for hop in failure.redirects] == [302, 302], settings
    lean = await backend.send(spec, TIMING_ONLY)
    assert isinstance(lean, Failure) and lean.request is not None
    assert lean.request.method == "GET"


async def test_a_deleted_ca_bundle_is_refused_on_the_next_send(
    backend: Backend, demo: Any, tmp_path: Path
) -> None:
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(demo.ca_path.read_bytes())
    spec = RequestSpec(url=at(demo.https_url, "/echo"), options=Options(ca_bundle=str(bundle)))
    assert ok(await backend.send(spec, SMALL)).status == 200
    bundle.unlink()
    failure = await backend.send(spec, SMALL)
    assert isinstance(failure, Failure) and failure.kind is FailureKind.INVALID_REQUEST


async def test_prepare_builds_every_ssl_context_a_plain_http_send_needs(
    backend: Backend, demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading a trust store takes ~25 ms: inside the clock it was most of a first send's
    # total. Every send passes a context (a redirect may go to https), so prepare builds it.
    import ssl

    built: list[object] = []
    real = ssl.create_default_context

    def counting(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        built.append(args)
        return real(*args, **kwargs)

    spec = RequestSpec(url=at(demo.http_url, "/echo"))
    async with backends.create(backend.name) as fresh:
        await fresh.prepare(spec, SMALL)
        monkeypatch.setattr(ssl, "create_default_context", counting)
        assert ok(await fresh.send(spec, SMALL)).status == 200
    assert built == []
