"""The timing lab: one request sent many times through each backend, fairly, and summarised.

Fairness decides the design. Runs interleave the backends and alternate which
goes first (ABBA: run 0 sends A then B, run 1 B then A, ...), so neither library
always pays for a cold cache or benefits from the other's warm-up, and drift over
time hits both alike. Both share one event loop, so the backends never send at
the same moment: with ``concurrency`` C, C requests are in flight for one backend,
then C for the next, in the same alternating order. Warm mode keeps each backend's
pool (its connection is reused after the first send, usually during warm-up);
cold mode asks each backend for a new connection per send
(``Settings.fresh_connection``).

The clock is injected: it stamps samples (start, end) and the run's duration, so
tests can use a fake one; phase timings come from the backends themselves.

Cancellation keeps what was measured. By default (``on_cancel="return"``) a
cancelled ``bench()`` returns the partial ``BenchResult`` with ``cancelled=True``
and un-cancels its task (``Task.uncancel``), which is what a CLI wants on Ctrl-C
under ``asyncio.run``. With ``on_cancel="raise"`` it re-raises
``CancelledError``, as structured code (a UI worker) expects, after one last
progress report whose ``result`` is the partial result with ``cancelled=True``.
Samples completed inside an interrupted batch are kept.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from httpdiff.backends import Backend, Settings
from httpdiff.errors import UnknownName
from httpdiff.model import PHASES, Failure, FailureKind, Outcome, RequestSpec, Timings
from httpdiff.validate import check

if TYPE_CHECKING:
    from httpdiff.compare import Session

ALL_PHASES: tuple[str, ...] = (*PHASES, "total")
Clock = Callable[[], float]
OnCancel = Literal["return", "raise"]


@dataclass(frozen=True, slots=True)
class Sample:
    """One measured send: which run, which backend, in which position, and its outcome.

    ``started``/``ended`` are bench-clock seconds since the bench began; ``position``
    is 0 when this backend went first in its run.
    """

    run: int
    backend: str
    position: int
    outcome: Outcome
    started: float
    ended: float

    @property
    def ok(self) -> bool:
        return self.outcome.ok

    @property
    def timings(self) -> Timings:
        return self.outcome.timings

    @property
    def reused(self) -> bool | None:
        outcome = self.outcome
        return None if isinstance(outcome, Failure) else outcome.connection.reused


@dataclass(frozen=True, slots=True)
class BenchConfig:
    """What was asked for: kept with the result so a report says how it was measured."""

    backends: tuple[str, ...]
    runs: int
    warmup: int
    concurrency: int
    cold: bool
    settings: Settings = field(default_factory=Settings)

    def as_dict(self) -> dict[str, Any]:
        return {
            "backends": list(self.backends), "runs": self.runs, "warmup": self.warmup,
            "concurrency": self.concurrency, "mode": "cold" if self.cold else "warm",
            "max_body_bytes": self.settings.max_body_bytes,
            "fresh_connection": self.settings.fresh_connection,
            "phases": self.settings.phases,
        }


@dataclass(frozen=True, slots=True)
class BenchResult:
    """Every sample measured (warm-up excluded), in completion order."""

    spec: RequestSpec
    config: BenchConfig
    samples: tuple[Sample, ...] = ()
    cancelled: bool = False
    duration: float = 0.0

    def for_backend(self, name: str) -> tuple[Sample, ...]:
        return tuple(s for s in self.samples if s.backend == name)

    @property
    def planned(self) -> int:
        return self.config.runs * len(self.config.backends)


@dataclass(frozen=True, slots=True)
class BenchProgress:
    """Reported after every send; each one carries the whole state so far.

    A UI may drop all but the latest (like a ``can_replace`` message) and lose
    nothing. During warm-up ``warming`` is true and ``result`` holds no samples.
    After a cancellation one last report has ``latest=None`` and ``result.cancelled``
    (a callback that cancels must not cancel again on that one).
    """

    result: BenchResult
    latest: Sample | None
    done: int
    total: int
    warming: bool = False


ProgressCallback = Callable[[BenchProgress], None]
Backends: TypeAlias = "Session | Mapping[str, Backend]"


def _backend_bug(name: str, exc: Exception, elapsed_ms: float) -> Failure:
    """A backend that raised instead of returning a Failure: its bug, kept as a failed sample."""
    return Failure(
        backend=name,
        kind=FailureKind.OTHER,
        exception_type=f"{type(exc).__module__}.{type(exc).__qualname__}",
        message=" ".join(str(exc).split()) or type(exc).__name__,
        timings=Timings(total=elapsed_ms),
    )


def _order(names: Sequence[str], turn: int) -> list[str]:
    """The names rotated by ``turn``: with two backends, AB, BA, AB, ..."""
    shift = turn % len(names)
    return [*names[shift:], *names[:shift]]


class _Runner:
    """The loop's state: samples so far, and the progress reports built from them."""

    def __init__(self, spec: RequestSpec, source: Backends, config: BenchConfig, clock: Clock,
                 on_progress: ProgressCallback | None) -> None:
        self.spec, self.config = spec, config
        self.clock, self.on_progress = clock, on_progress
        # Looked up once: the loop below runs per send, and its cost counts against the
        # libraries' throughput (benchmarks/overhead.py).
        self.backends: dict[str, Backend] = {
            name: source[name] if isinstance(source, Mapping) else source.backend(name)
            for name in config.backends
        }
        self.samples: list[Sample] = []
        self.warm_done = 0
        self.t0 = clock()

    def result(self, cancelled: bool = False) -> BenchResult:
        return BenchResult(self.spec, self.config, tuple(self.samples), cancelled,
                           self.clock() - self.t0)

    def report(self, latest: Sample | None, warming: bool, cancelled: bool = False) -> None:
        if self.on_progress is None:
            return
        width = len(self.config.backends)
        done, total = ((self.warm_done, self.config.warmup * width) if warming
                       else (len(self.samples), self.config.runs * width))
        self.on_progress(BenchProgress(self.result(cancelled), latest, done, total, warming))

    async def measure(self, name: str, run: int, position: int, warming: bool) -> None:
        """One send; a backend bug becomes a failed sample, only cancellation escapes."""
        clock = self.clock
        started = clock()
        try:
            outcome = await self.backends[name].send(self.spec, self.config.settings)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            outcome = _backend_bug(name, exc, (clock() - started) * 1000)
        sample = Sample(run, name, position, outcome, started - self.t0, clock() - self.t0)
        if warming:
            self.warm_done += 1
        else:
            self.samples.append(sample)
        if self.on_progress is not None:
            self.report(sample, warming)

    async def runs(self, count: int, warming: bool) -> None:
        size, names = self.config.concurrency, self.config.backends
        for turn, start in enumerate(range(0, count, size)):
            batch = range(start, min(start + size, count))
            for position, name in enumerate(_order(names, turn)):
                if len(batch) == 1:
                    await self.measure(name, batch[0], position, warming)
                    continue
                async with asyncio.TaskGroup() as group:
                    for run in batch:
                        group.create_task(self.measure(name, run, position, warming))


async def bench(
    spec: RequestSpec,
    session: Backends | None = None,
    *,
    names: Sequence[str] | None = None,
    runs: int = 10,
    warmup: int = 1,
    concurrency: int = 1,
    cold: bool = False,
    clock: Clock = time.perf_counter,
    on_progress: ProgressCallback | None = None,
    settings: Settings | None = None,
    on_cancel: OnCancel = "return",
) -> BenchResult:
    """Send ``spec`` ``runs`` times through each backend, interleaved, after ``warmup`` runs.

    ``session`` is a ``compare.Session`` or a mapping of names to backends; with
    neither, a temporary session is opened and closed. ``names`` defaults to the
    session's names (or the mapping's keys). Raises ``InvalidRequest`` before
    sending anything if the request cannot be sent, ``UnknownName`` for a name
    the backends lack, ``ValueError`` for a bad count. See the module docstring
    for what cancellation does.
    """
    check(spec)
    if runs < 1 or warmup < 0 or concurrency < 1:
        raise ValueError("runs and concurrency must be at least 1, warmup at least 0")
    if session is None:
        # Imported here: a caller that brings its own backends needs no diff engine.
        from httpdiff.compare import DEFAULT_BACKENDS, Session

        chosen = tuple(names or DEFAULT_BACKENDS)
        async with Session(chosen) as temporary:
            return await bench(
                spec, temporary, names=chosen, runs=runs, warmup=warmup,
                concurrency=concurrency, cold=cold, clock=clock, on_progress=on_progress,
                settings=settings, on_cancel=on_cancel,
            )
    default_names = tuple(session) if isinstance(session, Mapping) else session.names
    chosen = tuple(names or default_names)
    if not chosen:
        raise ValueError("no backends to bench")
    if isinstance(session, Mapping) and (missing := [n for n in chosen if n not in session]):
        raise UnknownName(f"no backend named {', '.join(missing)} (given: {', '.join(session)})")
    # Samples keep timings, never content: see ``Settings.keep_content``.
    settings = dataclasses.replace(settings or Settings(), keep_content=False)
    if cold:
        settings = dataclasses.replace(settings, fresh_connection=True)
    config = BenchConfig(chosen, runs, warmup, concurrency, cold, settings)
    runner = _Runner(spec, session, config, clock, on_progress)
    try:
        await runner.runs(warmup, warming=True)
        await runner.runs(runs, warming=False)
    except asyncio.CancelledError:
        runner.report(None, warming=False, cancelled=True)
        if on_cancel == "raise":
            raise
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        return runner.result(cancelled=True)
    return runner.result()
