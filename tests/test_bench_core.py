"""The bench loop with scripted backends: order, warm-up, cold mode, concurrency, cancellation.

The backends here are test doubles (another ``Backend`` implementation, as httpx's
MockTransport is another transport): they make order and timings exact, which a
real server cannot. The same loop against real clients is in ``test_bench_demo.py``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import ClassVar

import pytest

from httpdiff.backends import Backend, Settings
from httpdiff.bench import BenchProgress, bench, bench_document, summarise
from httpdiff.bench.summary import (
    NO_SAMPLE,
    NO_SAMPLES_YET,
    NOT_OBSERVABLE,
    NOT_TIMED,
    REUSED,
    absent_reason,
    no_timings,
)
from httpdiff.errors import InvalidRequest, UnknownName
from httpdiff.model import (
    ConnectionInfo,
    FailureKind,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)

SPEC = RequestSpec(url="http://127.0.0.1:9/never-sent")


class Scripted(Backend):
    """Answers at once with fixed timings; records every call and how many are in flight."""

    name: ClassVar[str] = ""
    total_ms: ClassVar[float] = 10.0

    def __init__(self, log: list[str], *, fail_every: int = 0) -> None:
        self.log = log
        self.fail_every = fail_every
        self.calls = 0
        self.settings: list[Settings] = []
        self.in_flight = 0
        self.most_in_flight = 0
        self.others: list[Scripted] = []
        self.overlapped = False

    async def send(self, spec: RequestSpec, settings: Settings) -> Outcome:
        self.calls += 1
        self.settings.append(settings)
        self.log.append(self.name)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.overlapped |= any(other.in_flight for other in self.others)
        try:
            await asyncio.sleep(0.001)
        finally:
            self.in_flight -= 1
        if self.fail_every and self.calls % self.fail_every == 0:
            raise RuntimeError("scripted\x1b[31m failure")
        return ResponseSnapshot(
            backend=self.name, request=SentRequest("GET", spec.url, ()), status=200,
            reason="OK", http_version="HTTP/1.1", headers=(), body=b"", text="",
            timings=Timings(connect=None if self.calls > 1 else 1.0, wait=self.total_ms / 2,
                            total=self.total_ms),
            connection=ConnectionInfo(reused=not settings.fresh_connection and self.calls > 1),
        )


class Alpha(Scripted):
    name = "alpha"
    total_ms = 10.0


class Beta(Scripted):
    name = "beta"
    total_ms = 20.0


def pair(log: list[str], **kwargs: int) -> dict[str, Backend]:
    alpha, beta = Alpha(log, **kwargs), Beta(log)
    alpha.others, beta.others = [beta], [alpha]
    return {"alpha": alpha, "beta": beta}


def fake_clock() -> Callable[[], float]:
    ticks = iter(range(1_000_000))
    return lambda: float(next(ticks))


async def test_runs_interleave_and_alternate_who_goes_first() -> None:
    log: list[str] = []
    seen: list[BenchProgress] = []
    result = await bench(SPEC, pair(log), runs=4, warmup=0, clock=fake_clock(),
                         on_progress=seen.append)
    abba = ["alpha", "beta", "beta", "alpha"] * 2
    assert log == abba
    assert [p.latest.backend for p in seen if p.latest] == abba
    assert [(s.run, s.position) for s in result.samples] == [
        (0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1), (3, 0), (3, 1)
    ]
    starts = [s.started for s in result.samples]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert all(s.ended > s.started for s in result.samples)
    assert [p.done for p in seen] == list(range(1, 9))
    assert {p.total for p in seen} == {8}
    assert seen[-1].result.samples == result.samples
    assert not result.cancelled and result.planned == 8


async def test_warmup_is_sent_but_not_measured() -> None:
    log: list[str] = []
    seen: list[BenchProgress] = []
    backends = pair(log)
    result = await bench(SPEC, backends, runs=3, warmup=2, on_progress=seen.append)
    assert [b.calls for b in backends.values()] == [5, 5]  # type: ignore[attr-defined]
    assert len(result.samples) == 6
    warming = [p for p in seen if p.warming]
    assert [p.done for p in warming] == [1, 2, 3, 4] and warming[0].total == 4
    assert all(not p.result.samples for p in warming)
    assert log[:4] == ["alpha", "beta", "beta", "alpha"]


@pytest.mark.parametrize("cold", [False, True])
async def test_cold_mode_asks_for_a_fresh_connection_every_time(cold: bool) -> None:
    backends = pair([])
    result = await bench(SPEC, backends, runs=3, warmup=1, cold=cold,
                         settings=Settings(max_body_bytes=1234))
    for backend in backends.values():
        assert isinstance(backend, Scripted)
        assert {s.fresh_connection for s in backend.settings} == {cold}
        assert {s.max_body_bytes for s in backend.settings} == {1234}
    assert result.config.cold is cold
    reused = {s.reused for s in result.samples}
    assert reused == ({False} if cold else {True})


async def test_concurrency_keeps_c_in_flight_per_backend_and_backends_apart() -> None:
    log: list[str] = []
    backends = pair(log)
    result = await bench(SPEC, backends, runs=7, warmup=0, concurrency=3)
    alpha, beta = backends["alpha"], backends["beta"]
    assert isinstance(alpha, Scripted) and isinstance(beta, Scripted)
    assert alpha.most_in_flight == 3 and beta.most_in_flight == 3
    assert not alpha.overlapped and not beta.overlapped
    # batches of three runs, alternating which backend goes first
    assert log == ["alpha"] * 3 + ["beta"] * 6 + ["alpha"] * 4 + ["beta"]
    assert sorted(s.run for s in result.samples if s.backend == "beta") == list(range(7))


async def test_cancellation_returns_what_was_measured() -> None:
    task: asyncio.Task[object] | None = None

    def stop_after_three(progress: BenchProgress) -> None:
        if progress.done == 3 and progress.latest is not None and task is not None:
            task.cancel()

    task = asyncio.create_task(
        bench(SPEC, pair([]), runs=10, warmup=0, on_progress=stop_after_three)
    )
    result = await asyncio.wait_for(task, 5)
    assert getattr(result, "cancelled", None) is True
    assert len(result.samples) == 3  # type: ignore[attr-defined]
    assert task.cancelling() == 0  # the swallowed cancellation was un-counted


async def test_cancellation_can_propagate_after_a_last_report() -> None:
    seen: list[BenchProgress] = []
    task: asyncio.Task[object] | None = None

    def record(progress: BenchProgress) -> None:
        seen.append(progress)
        if progress.done == 5 and progress.latest is not None and task is not None:
            task.cancel()

    task = asyncio.create_task(bench(SPEC, pair([]), runs=10, warmup=0, concurrency=2,
                                     on_progress=record, on_cancel="raise"))
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
    last = seen[-1]
    assert last.result.cancelled and last.latest is None
    assert len(last.result.samples) >= 5


async def test_failures_are_counted_and_kept_out_of_the_timings() -> None:
    result = await bench(SPEC, pair([], fail_every=2), runs=6, warmup=0)
    summary = summarise(result)
    alpha = summary.backends["alpha"]
    assert (alpha.samples, alpha.failures) == (6, 3)
    assert alpha.failure_kinds == {FailureKind.OTHER.value: 3}
    total = alpha.phases["total"]
    assert total is not None and total.count == 3 and total.max == 10.0
    assert summary.pairs[0].ratios["total"] is not None
    assert summary.pairs[0].ratios["total"].pairs == 3  # type: ignore[union-attr]


async def test_summary_ratio_wins_and_verdict() -> None:
    result = await bench(SPEC, pair([]), runs=8, warmup=0)
    summary = summarise(result)
    (versus,) = summary.pairs
    assert (versus.first, versus.second) == ("alpha", "beta")
    total = versus.ratios["total"]
    assert total is not None and total.ratio == 0.5
    assert versus.verdict == ("alpha is 2.00x faster (95% CI 2.00–2.00)"
                              " — only 8 runs: too few to go by")
    assert (versus.wins.first, versus.wins.second, versus.wins.ties) == (8, 0, 0)
    assert summary.backends["alpha"].phases["dns"] is None  # never observed: not observable
    assert versus.ratios["dns"] is None
    assert summary.backends["alpha"].phases["connect"].count == 1  # type: ignore[union-attr]


async def test_a_phase_without_figures_says_why() -> None:
    warm = summarise(await bench(SPEC, pair([]), runs=3, warmup=1)).backends["alpha"]
    # Every measured send reused the warm-up's connection: no connect happened.
    assert warm.absent == {"dns": REUSED, "connect": REUSED, "tls": REUSED,
                           "send": NOT_OBSERVABLE, "download": NOT_OBSERVABLE}
    cold = summarise(await bench(SPEC, pair([]), runs=3, warmup=0, cold=True)).backends["alpha"]
    assert cold.absent["dns"] == NOT_OBSERVABLE and "connect" not in cold.absent
    off = await bench(SPEC, pair([]), runs=2, warmup=1, settings=Settings(phases=False))
    assert summarise(off).backends["alpha"].absent["dns"] == NOT_TIMED
    failing = await bench(SPEC, pair([], fail_every=1), runs=2, warmup=0)
    assert set(summarise(failing).backends["alpha"].absent.values()) == {NO_SAMPLE}
    document = json.loads(json.dumps(bench_document(failing)))
    assert document["backends"]["alpha"]["absent_phases"]["total"] == NO_SAMPLE


@pytest.mark.parametrize(
    ("samples", "kinds", "expected"),
    [
        (0, {}, NO_SAMPLES_YET),
        (1, {"connect": 1}, "the only sample failed: connect"),
        (3, {"timeout": 3}, "all 3 failed: timeout"),
        (4, {"timeout": 1, "connect": 3}, "all 4 failed: connect 3, timeout 1"),
        (4, {"connect": 3}, None),  # one succeeded: its phases say the rest
        (2, {}, None),
    ],
)
def test_a_backend_without_timings_says_why(samples: int, kinds: dict[str, int],
                                            expected: str | None) -> None:
    assert no_timings(samples, kinds) == expected


async def test_the_summary_carries_why_a_backend_has_no_timings() -> None:
    failing = summarise(await bench(SPEC, pair([], fail_every=1), runs=2, warmup=0))
    assert failing.backends["alpha"].no_timings == "all 2 failed: other"
    assert failing.backends["beta"].no_timings is None


def test_what_a_library_never_reports_is_not_observable_even_when_reused() -> None:
    assert absent_reason("httpx", "dns", good=5, reused=5, phases=True) == NOT_OBSERVABLE
    assert absent_reason("aiohttp", "tls", good=5, reused=5, phases=True) == NOT_OBSERVABLE
    assert absent_reason("aiohttp", "connect", good=5, reused=5, phases=True) == REUSED
    assert absent_reason("aiohttp", "connect", good=5, reused=4, phases=True) == NOT_OBSERVABLE
    assert absent_reason("no-such-backend", "dns", good=1, reused=1, phases=True) == REUSED


async def test_document_carries_everything_and_is_json() -> None:
    result = await bench(SPEC, pair([], fail_every=3), runs=3, warmup=0)
    document = json.loads(json.dumps(bench_document(result)))
    assert document["request"] == {"method": "GET", "url": SPEC.url}
    assert document["settings"]["runs"] == 3 and document["settings"]["mode"] == "warm"
    assert set(document["environment"]) >= {"libraries", "python", "platform"}
    assert document["backends"]["alpha"]["failures"] == 1
    assert document["backends"]["alpha"]["phases"]["dns"] is None
    assert set(document["backends"]["beta"]["phases"]["total"]) >= {
        "count", "min", "median", "p95", "max", "stdev"
    }
    (versus,) = document["comparisons"]
    assert versus["faster_runs"]["ties"] == 0
    assert set(versus["ratios"]["total"]) >= {"ratio", "ci_low", "ci_high"}
    assert len(document["samples"]) == 6
    errors = [s["error"] for s in document["samples"] if s["backend"] == "alpha"]
    assert errors == [None, None, "other"]


@pytest.mark.parametrize("kwargs", [{"runs": 0}, {"warmup": -1}, {"concurrency": 0}])
async def test_bad_counts_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        await bench(SPEC, pair([]), **kwargs)  # type: ignore[arg-type]


async def test_bad_request_is_refused_before_sending() -> None:
    log: list[str] = []
    with pytest.raises(InvalidRequest):
        await bench(RequestSpec(url="ftp://127.0.0.1/"), pair(log), runs=1)
    assert log == []


async def test_a_name_the_backends_lack_is_refused() -> None:
    with pytest.raises(UnknownName, match="gamma"):
        await bench(SPEC, pair([]), names=["alpha", "gamma"], runs=1)
