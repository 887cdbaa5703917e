"""A bench in a child process, so that nothing else in this one can disturb its clock.

The app draws its charts while a bench runs. In the same process the drawing
holds the GIL for milliseconds at a time, and whichever request is in flight
then waits: measured on loopback, medians came out 2-3 times too slow, with the
verdict sometimes reversed. ``bench_in_subprocess`` runs ``httpdiff.bench.bench``
in ``python -m httpdiff.bench.worker`` instead and gets its samples back as JSON
lines; it behaves like ``bench`` (progress reports, cancellation that keeps what
was measured) and returns the same ``BenchResult``.

The wire: one job line to the child's stdin (the request as a collection file
mapping, with secrets already resolved: a pipe, never argv or a file); then
"stop" (or end of input) asks it to stop. The child answers with lines of
``{"event": "warming" | "sample" | "done" | "error", ...}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from typing import Any

from httpdiff.backends import Settings
from httpdiff.bench.runs import (
    BenchConfig,
    BenchProgress,
    BenchResult,
    ProgressCallback,
    Sample,
)
from httpdiff.errors import HttpdiffError
from httpdiff.model import (
    ConnectionInfo,
    Failure,
    FailureKind,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.storage.request_file import request_from_document, request_mapping
from httpdiff.validate import check

WORKER = "httpdiff.bench.worker"
# How long a stopped child may take to report what it measured before it is killed.
STOP_GRACE_S = 5.0


class BenchFailed(HttpdiffError):
    """The bench process ended without a result (it crashed, or could not start)."""


# -- the wire --------------------------------------------------------------------------


def job_line(spec: RequestSpec, config: BenchConfig) -> str:
    return json.dumps({
        "request": request_mapping(spec), "backends": list(config.backends),
        "runs": config.runs, "warmup": config.warmup, "concurrency": config.concurrency,
        "cold": config.cold, "max_body_bytes": config.settings.max_body_bytes,
        "phases": config.settings.phases,
    })


def parse_job(line: str) -> tuple[RequestSpec, BenchConfig]:
    """The job a parent sent; ``ValueError`` (or a ``LoadError``) names what is wrong."""
    job = json.loads(line)
    if not isinstance(job, dict):
        raise ValueError("a bench job is a JSON object")
    spec = request_from_document(job["request"], "bench job")
    settings = Settings(max_body_bytes=int(job["max_body_bytes"]), phases=bool(job["phases"]))
    config = BenchConfig(tuple(str(n) for n in job["backends"]), int(job["runs"]),
                         int(job["warmup"]), int(job["concurrency"]), bool(job["cold"]),
                         settings)
    return spec, config


def sample_json(sample: Sample) -> dict[str, Any]:
    outcome = sample.outcome
    failure = None
    if isinstance(outcome, Failure):
        failure = {"kind": outcome.kind.value, "exception_type": outcome.exception_type,
                   "message": outcome.message}
    return {
        "run": sample.run, "backend": sample.backend, "position": sample.position,
        "started": sample.started, "ended": sample.ended, "timings": outcome.timings.as_dict(),
        "reused": sample.reused, "failure": failure,
        "status": None if isinstance(outcome, Failure) else outcome.status,
        "http_version": None if isinstance(outcome, Failure) else outcome.http_version,
    }


def sample_from_json(data: dict[str, Any], spec: RequestSpec) -> Sample:
    """The sample back, its outcome timing-only (as a bench keeps it anyway)."""
    backend = str(data["backend"])
    timings = Timings(**{k: (None if v is None else float(v))
                         for k, v in data["timings"].items()})
    failure = data.get("failure")
    outcome: Outcome
    if failure is not None:
        outcome = Failure(backend, FailureKind(failure["kind"]), str(failure["exception_type"]),
                          str(failure["message"]), timings=timings)
    else:
        outcome = ResponseSnapshot(
            backend=backend, request=SentRequest(spec.method, spec.url, ()),
            status=int(data["status"]), reason="", http_version=str(data["http_version"]),
            headers=(), body=b"", text="", timings=timings,
            connection=ConnectionInfo(reused=data.get("reused")),
        )
    return Sample(int(data["run"]), backend, int(data["position"]), outcome,
                  float(data["started"]), float(data["ended"]))


# -- the parent ------------------------------------------------------------------------


async def bench_in_subprocess(
    spec: RequestSpec,
    names: tuple[str, ...],
    *,
    runs: int = 10,
    warmup: int = 1,
    concurrency: int = 1,
    cold: bool = False,
    settings: Settings | None = None,
    on_progress: ProgressCallback | None = None,
    report_every_s: float = 0.0,
) -> BenchResult:
    """``bench`` run in a child process; see the module docstring.

    ``report_every_s``: at most one progress report per that many seconds (a UI
    redrawing on every sample keeps its process busy and disturbs the bench);
    each report still carries every sample so far.

    Raises ``InvalidRequest`` before starting anything if the request cannot be
    sent, ``ValueError`` for a bad count, ``BenchFailed`` if the child ends
    without a result. Cancelled, it stops the child and returns what was measured
    (``cancelled=True``) after a last report with ``latest=None``.
    """
    check(spec)
    if runs < 1 or warmup < 0 or concurrency < 1:
        raise ValueError("runs and concurrency must be at least 1, warmup at least 0")
    config = BenchConfig(names, runs, warmup, concurrency, cold, settings or Settings())
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", WORKER, stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    reader = _Reader(spec, config, on_progress, report_every_s)
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write((job_line(spec, config) + "\n").encode())
        await child.stdin.drain()
        try:
            await reader.read(child.stdout)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            await _stop(child, reader)
            reader.report_cancelled()
            return reader.result(cancelled=True)
        if reader.done is None:
            raise BenchFailed(reader.error or await _why(child))
        return reader.result(cancelled=bool(reader.done.get("cancelled")))
    finally:
        reader.drop_held()
        await _end(child)


class _Reader:
    """The child's lines, turned into samples and progress reports."""

    def __init__(self, spec: RequestSpec, config: BenchConfig,
                 on_progress: ProgressCallback | None, report_every_s: float = 0.0) -> None:
        self.spec, self.config, self.on_progress = spec, config, on_progress
        self.report_every_s = report_every_s
        self.reported = -float("inf")
        # A report held back by report_every_s, sent when its time comes.
        self.held: asyncio.TimerHandle | None = None
        self.last: tuple[Sample | None, int, int, bool] = (None, 0, 0, False)
        self.samples: list[Sample] = []
        self.duration = 0.0
        self.done: dict[str, Any] | None = None
        self.error: str | None = None

    def result(self, cancelled: bool = False) -> BenchResult:
        return BenchResult(self.spec, self.config, tuple(self.samples), cancelled, self.duration)

    async def read(self, stream: asyncio.StreamReader) -> None:
        while self.done is None and (line := await stream.readline()):
            try:
                message = json.loads(line)
            except ValueError:  # a library printing to stdout in the child: not ours
                continue
            if isinstance(message, dict):
                self.take(message)

    def take(self, message: dict[str, Any]) -> None:
        event = message.get("event")
        if event == "done":
            self.done = message
            self.duration = float(message.get("duration", self.duration))
        elif event == "error":
            self.error = str(message.get("message", "bench failed"))
        elif event == "warming":
            self._report(None, int(message["done"]), int(message["total"]), warming=True)
        elif event == "sample":
            sample = sample_from_json(message["sample"], self.spec)
            self.samples.append(sample)
            self.duration = max(self.duration, sample.ended)
            self._report(sample, int(message["done"]), int(message["total"]), warming=False)

    def _report(self, latest: Sample | None, done: int, total: int, warming: bool) -> None:
        if self.on_progress is None:
            return
        self.last = (latest, done, total, warming)
        # The last sample is reported at once; before it, at most one report per
        # report_every_s (building the result copies every sample so far), and one
        # held back goes out when its time comes, whether or not another sample does.
        wait = self.report_every_s - (time.monotonic() - self.reported)
        if done < total and wait > 0:
            if self.held is None:
                self.held = asyncio.get_running_loop().call_later(wait, self._send_last)
            return
        self._send_last()

    def _send_last(self) -> None:
        self.drop_held()
        if self.on_progress is None:
            return
        self.reported = time.monotonic()
        latest, done, total, warming = self.last
        result = self.result() if not warming else BenchResult(self.spec, self.config)
        self.on_progress(BenchProgress(result, latest, done, total, warming))

    def drop_held(self) -> None:
        """Forget a report held back: after the result is returned, none may follow it."""
        if self.held is not None:
            self.held.cancel()
            self.held = None

    def report_cancelled(self) -> None:
        self.drop_held()
        if self.on_progress is not None:
            self.on_progress(BenchProgress(self.result(cancelled=True), None, len(self.samples),
                                           self.config.runs * len(self.config.backends)))


async def _stop(child: asyncio.subprocess.Process, reader: _Reader) -> None:
    """Ask the child to stop and take what it still reports, within ``STOP_GRACE_S``."""
    with contextlib.suppress(Exception):
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(b"stop\n")
        await child.stdin.drain()
        child.stdin.close()
        await asyncio.wait_for(reader.read(child.stdout), STOP_GRACE_S)


async def _end(child: asyncio.subprocess.Process) -> None:
    """The child gone: given a moment to exit on its own, then killed."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(child.wait(), STOP_GRACE_S)
    if child.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            child.kill()
        with contextlib.suppress(Exception):
            await child.wait()


async def _why(child: asyncio.subprocess.Process) -> str:
    """The child's own last words: its error line, else the end of its stderr."""
    assert child.stderr is not None
    with contextlib.suppress(Exception):
        await asyncio.wait_for(child.wait(), STOP_GRACE_S)
    err = b""
    with contextlib.suppress(Exception):
        err = await asyncio.wait_for(child.stderr.read(), STOP_GRACE_S)
    lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else f"the bench process ended with code {child.returncode}"
