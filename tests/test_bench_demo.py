"""The bench loop with the real clients against the demo server: reuse, cold mode, cancellation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from httpdiff.bench import BenchProgress, bench, summarise
from httpdiff.compare import Session
from httpdiff.model import RequestSpec, ResponseSnapshot

NAMES = ("httpx", "aiohttp")


def url(demo: Any, path: str) -> str:
    return demo.http_url.rstrip("/") + path


async def test_warm_mode_reuses_the_connection_after_the_first(demo: Any) -> None:
    result = await bench(RequestSpec(url=url(demo, "/echo")), names=NAMES, runs=4, warmup=0)
    for name in NAMES:
        samples = result.for_backend(name)
        assert all(s.ok for s in samples), [s.outcome for s in samples]
        assert [s.reused for s in samples] == [False, True, True, True], name
    assert summarise(result).backends["httpx"].reused == 3


async def test_samples_keep_timings_not_content(demo: Any) -> None:
    result = await bench(RequestSpec(url=url(demo, "/bytes/5000")), names=NAMES, runs=3)
    assert not result.config.settings.keep_content
    for sample in result.samples:
        snap = sample.outcome
        assert isinstance(snap, ResponseSnapshot) and snap.status == 200
        assert (snap.body, snap.text, snap.headers) == (b"", "", ())
        assert snap.timings.download is not None and snap.timings.wait is not None


async def test_warm_mode_after_warmup_reuses_every_time(demo: Any) -> None:
    result = await bench(RequestSpec(url=url(demo, "/echo")), names=NAMES, runs=3, warmup=1)
    assert [s.reused for s in result.samples] == [True] * 6


async def test_cold_mode_never_reuses(demo: Any) -> None:
    result = await bench(RequestSpec(url=url(demo, "/echo")), names=NAMES, runs=4, warmup=1,
                         cold=True)
    assert len(result.samples) == 8
    assert all(s.ok for s in result.samples)
    assert {s.reused for s in result.samples} == {False}
    # a new connection is a connect phase measured on every sample
    for name in NAMES:
        connect = summarise(result).backends[name].phases["connect"]
        assert connect is not None and connect.count == 4


async def test_delay_shows_in_wait_and_total(demo: Any) -> None:
    result = await bench(RequestSpec(url=url(demo, "/delay/0.05")), names=NAMES, runs=3,
                         warmup=0)
    # The server starts its 50 ms once the request is in; a client may note "sent" a
    # little late (httpx's send phase sometimes takes a few ms of the wait), so the
    # bound holds for send + wait, not for wait alone (aiohttp's send of a bodiless
    # request is not observable: its wait starts when the headers are sent).
    for sample in result.samples:
        timings = sample.timings
        assert timings.wait is not None and timings.total is not None
        before_first_byte = (timings.send or 0.0) + timings.wait
        assert before_first_byte >= 48, sample
        assert timings.total >= before_first_byte
    summary = summarise(result)
    assert summary.pairs[0].ratios["total"] is not None


async def test_concurrency_with_real_clients(demo: Any) -> None:
    result = await bench(RequestSpec(url=url(demo, "/delay/0.02")), names=NAMES, runs=6,
                         warmup=1, concurrency=3)
    assert len(result.samples) == 12 and all(s.ok for s in result.samples)
    for name in NAMES:
        assert sorted(s.run for s in result.for_backend(name)) == list(range(6))


async def test_cancelled_bench_keeps_samples_and_the_session_stays_usable(demo: Any) -> None:
    spec = RequestSpec(url=url(demo, "/delay/0.05"))
    task: asyncio.Task[Any] | None = None

    def stop(progress: BenchProgress) -> None:
        if progress.done == 3 and progress.latest is not None and task is not None:
            task.cancel()

    async with Session(NAMES) as session:
        task = asyncio.create_task(bench(spec, session, runs=20, warmup=0, on_progress=stop))
        result = await asyncio.wait_for(task, 10)
        assert result.cancelled and len(result.samples) == 3
        assert all(s.ok for s in result.samples)
        again = await bench(spec, session, runs=1, warmup=0)
        assert not again.cancelled and all(s.ok for s in again.samples)


async def test_a_refused_connection_is_counted_as_failures() -> None:
    result = await bench(RequestSpec(url="http://127.0.0.1:9/"), names=NAMES, runs=2, warmup=0)
    summary = summarise(result)
    for name in NAMES:
        assert summary.backends[name].failures == 2
        assert summary.backends[name].phases["total"] is None
    assert summary.pairs[0].verdict == "not enough data to compare"


@pytest.mark.parametrize("http2", [False, True])
async def test_https_warm_mode_reuses(demo: Any, http2: bool) -> None:
    from httpdiff.model import Options

    spec = RequestSpec(url=demo.https_url.rstrip("/") + "/echo",
                       options=Options(ca_bundle=str(demo.ca_path), http2=http2))
    result = await bench(spec, names=NAMES, runs=2, warmup=1)
    assert all(s.ok for s in result.samples), [s.outcome for s in result.samples]
    assert {s.reused for s in result.samples} == {True}
    tls = summarise(result).backends["httpx"].phases["tls"]
    assert tls is None  # only the warm-up handshook; measured runs reused the connection
