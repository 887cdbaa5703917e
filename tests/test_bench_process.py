"""The bench in a child process (what the app uses): the wire, results, stop, failures."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest

from httpdiff.backends import Settings
from httpdiff.bench import BenchConfig, BenchProgress, Sample
from httpdiff.bench import process as bench_process
from httpdiff.bench.process import (
    BenchFailed,
    bench_in_subprocess,
    job_line,
    parse_job,
    sample_from_json,
    sample_json,
)
from httpdiff.errors import InvalidRequest
from httpdiff.model import (
    Auth,
    Body,
    ConnectionInfo,
    Failure,
    FailureKind,
    Options,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)

NAMES = ("httpx", "aiohttp")


def url(demo: Any, path: str) -> str:
    return demo.http_url.rstrip("/") + path


def test_a_job_survives_the_wire() -> None:
    spec = RequestSpec(method="POST", url="http://127.0.0.1:9/x", headers=(("X-A", "1"),),
                       params=(("q", "\u202e"),), body=Body(kind="json", text='{"a": 1}'),
                       auth=Auth(kind="bearer", token="resolved-secret"),
                       options=Options(timeout=3.5, http2=True))
    config = BenchConfig(NAMES, 7, 2, 3, True, Settings(max_body_bytes=1234, phases=False))
    back_spec, back_config = parse_job(job_line(spec, config))
    assert back_spec == spec
    assert back_config.backends == NAMES and (back_config.runs, back_config.warmup) == (7, 2)
    assert (back_config.concurrency, back_config.cold) == (3, True)
    assert back_config.settings.max_body_bytes == 1234 and not back_config.settings.phases


def test_samples_survive_the_wire() -> None:
    spec = RequestSpec(url="http://127.0.0.1:9/x")
    timings = Timings(connect=1.5, wait=2.25, download=0.5, total=4.5)
    good = Sample(3, "httpx", 1, ResponseSnapshot(
        "httpx", SentRequest("GET", spec.url, ()), 204, "", "HTTP/2", (), b"", "",
        timings=timings, connection=ConnectionInfo(reused=True)), 0.25, 0.5)
    bad = Sample(4, "aiohttp", 0, Failure("aiohttp", FailureKind.TIMEOUT, "TimeoutError",
                                          "slow", timings=Timings(total=9.0)), 0.5, 0.75)
    for sample in (good, bad):
        back = sample_from_json(json.loads(json.dumps(sample_json(sample))), spec)
        assert (back.run, back.backend, back.position) == (sample.run, sample.backend,
                                                           sample.position)
        assert (back.started, back.ended, back.ok) == (sample.started, sample.ended, sample.ok)
        assert back.timings == sample.timings and back.reused == sample.reused
    back_good = sample_from_json(sample_json(good), spec).outcome
    assert isinstance(back_good, ResponseSnapshot)
    assert (back_good.status, back_good.http_version) == (204, "HTTP/2")
    back_bad = sample_from_json(sample_json(bad), spec).outcome
    assert isinstance(back_bad, Failure)
    assert (back_bad.kind, back_bad.message) == (FailureKind.TIMEOUT, "slow")


async def test_a_bench_in_a_child_process(demo: Any) -> None:
    reports: list[BenchProgress] = []
    result = await bench_in_subprocess(RequestSpec(url=url(demo, "/echo")), NAMES, runs=5,
                                       warmup=1, on_progress=reports.append)
    assert not result.cancelled and len(result.samples) == 10
    assert [s.backend for s in result.samples[:4]] == ["httpx", "aiohttp", "aiohttp", "httpx"]
    assert all(s.ok and s.reused for s in result.samples)  # warmed up: always reused
    assert all(s.timings.wait is not None for s in result.samples)
    assert result.duration >= result.samples[-1].ended > 0
    warming = [r for r in reports if r.warming]
    assert [r.done for r in warming] == [1, 2] and warming[0].total == 2
    measured = [r for r in reports if not r.warming]
    assert [r.done for r in measured] == list(range(1, 11))
    assert measured[-1].result.samples == result.samples


async def test_reports_can_be_spaced_out_and_the_last_still_comes(demo: Any) -> None:
    reports: list[BenchProgress] = []
    result = await bench_in_subprocess(RequestSpec(url=url(demo, "/echo")), NAMES, runs=5,
                                       warmup=1, on_progress=reports.append, report_every_s=60)
    measured = [r for r in reports if not r.warming]
    # The first report (warming up) goes out at once; after it, only the last sample's.
    assert [r.done for r in measured] == [10]
    assert measured[0].result.samples == result.samples


async def test_a_report_held_back_goes_out_without_waiting_for_the_next_sample() -> None:
    spec = RequestSpec(url="http://127.0.0.1:9/x")
    config = BenchConfig(NAMES, 5, 0, 1, False)
    reports: list[BenchProgress] = []
    reader = bench_process._Reader(spec, config, reports.append, report_every_s=0.2)

    def sample(run: int) -> dict[str, Any]:
        outcome = Failure("httpx", FailureKind.TIMEOUT, "E", "slow", timings=Timings(total=1.0))
        return {"event": "sample", "sample": sample_json(Sample(run, "httpx", 0, outcome,
                                                                0.0, 0.1)),
                "done": run + 1, "total": 10}

    reader.take(sample(0))
    reader.take(sample(1))  # within 0.2 s of the first: held back
    assert [r.done for r in reports] == [1]
    for _ in range(100):  # bounded: the held report is due after 0.2 s
        if len(reports) == 2:
            break
        await asyncio.sleep(0.01)
    assert [r.done for r in reports] == [1, 2]
    assert len(reports[-1].result.samples) == 2


async def test_stop_returns_what_was_measured(demo: Any) -> None:
    reports: list[BenchProgress] = []
    task = asyncio.ensure_future(bench_in_subprocess(
        RequestSpec(url=url(demo, "/delay/0.1")), NAMES, runs=200, warmup=0,
        on_progress=reports.append))
    for _ in range(500):  # the child starts, then measures
        if len(reports) >= 3:
            break
        await asyncio.sleep(0.02)
    assert len(reports) >= 3
    task.cancel()
    result = await asyncio.wait_for(task, 10)
    assert result.cancelled and 3 <= len(result.samples) < 400
    assert reports[-1].latest is None and reports[-1].result.cancelled


async def test_a_bad_request_is_refused_before_a_child_starts() -> None:
    with pytest.raises(InvalidRequest, match="scheme"):
        await bench_in_subprocess(RequestSpec(url="ftp://127.0.0.1/"), NAMES)
    with pytest.raises(ValueError, match="at least"):
        await bench_in_subprocess(RequestSpec(url="http://127.0.0.1:9/"), NAMES, runs=0)


async def test_a_child_that_cannot_run_is_a_one_line_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench_process, "WORKER", "httpdiff.no_such_worker")
    with pytest.raises(BenchFailed, match="No module named"):
        await bench_in_subprocess(RequestSpec(url="http://127.0.0.1:9/"), NAMES, runs=1)


def test_the_worker_names_a_bad_job_and_writes_only_json() -> None:
    done = subprocess.run([sys.executable, "-m", "httpdiff.bench.worker"], input="{\"runs\": 1}\n",
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    (line,) = done.stdout.splitlines()
    message = json.loads(line)
    assert message["event"] == "error" and message["message"].startswith("bad bench job")


async def test_stray_output_from_the_child_is_skipped() -> None:
    lines = [b"a library's own print\n", b"[1, 2]\n",
             b'{"event": "done", "cancelled": false, "duration": 0.5}\n']
    stream = asyncio.StreamReader()
    for line in lines:
        stream.feed_data(line)
    stream.feed_eof()
    reader = bench_process._Reader(RequestSpec(url="http://127.0.0.1:9/"),
                                   BenchConfig(NAMES, 1, 0, 1, False), None)
    await reader.read(stream)
    assert reader.done is not None and reader.result().duration == 0.5
