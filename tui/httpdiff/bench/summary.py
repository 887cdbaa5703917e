"""What a bench measured, summarised: per backend and phase, per pair of backends, as JSON.

Failed samples are counted, never mixed into the timings; a phase no successful
sample observed is ``None``, and ``BackendSummary.absent`` says why
(``absent_reason``). A backend with no successful sample at all says so once
(``no_timings``: "no samples yet", "all 3 failed: connect"), so a report shows
that instead of a phase table of blanks that would read as "not observable".
Ratios are of medians with a seeded bootstrap confidence interval
(``httpdiff.stats``), taken over the runs in which both backends succeeded, so
the pairs stay paired.
"""

from __future__ import annotations

import platform
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from httpdiff import backends as registry
from httpdiff.bench.runs import ALL_PHASES, BenchResult, Sample
from httpdiff.model import Failure
from httpdiff.stats import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    RatioEstimate,
    Summary,
    Wins,
    describe,
    ratio_of_medians,
    verdict,
    wins,
)


@dataclass(frozen=True, slots=True)
class BackendSummary:
    """One backend's samples: counts, failures by kind, and per-phase statistics.

    A phase maps to ``None`` when no successful sample observed it, and ``absent``
    gives the reason for each such phase (see ``absent_reason``). Failed samples
    are counted, never mixed into the timings.
    """

    name: str
    samples: int
    failures: int
    failure_kinds: dict[str, int]
    reused: int
    phases: dict[str, Summary | None]
    absent: dict[str, str] = field(default_factory=dict)

    @property
    def no_timings(self) -> str | None:
        """Why this backend has no timings at all, or ``None`` when a sample succeeded."""
        return no_timings(self.samples, self.failure_kinds)


@dataclass(frozen=True, slots=True)
class PairSummary:
    """``first`` against ``second``: ratio of medians per phase, wins, and the verdict."""

    first: str
    second: str
    ratios: dict[str, RatioEstimate | None]
    wins: Wins
    verdict: str


@dataclass(frozen=True, slots=True)
class BenchSummary:
    backends: dict[str, BackendSummary]
    pairs: tuple[PairSummary, ...]


# Phases that happen only on a new connection.
CONNECTION_PHASES = frozenset({"dns", "connect", "tls"})
NOT_OBSERVABLE = "not observable"
NOT_TIMED = "not timed (phases off)"
REUSED = "reused connection"
NO_SAMPLE = "no successful sample"
NO_SAMPLES_YET = "no samples yet"


def failure_kinds(samples: Iterable[Sample]) -> dict[str, int]:
    """How many of ``samples`` failed, by failure kind."""
    return dict(Counter(str(s.outcome.kind) for s in samples if isinstance(s.outcome, Failure)))


def no_timings(samples: int, kinds: Mapping[str, int]) -> str | None:
    """Why a backend with ``samples`` sends, ``kinds`` of failures, has no timings at all.

    ``NO_SAMPLES_YET`` before its first sample (a bench stopped early, or still
    running); "all N failed: connect" (kinds by count) when every sample failed;
    ``None`` when at least one succeeded. Shared by the app and the CLI report.
    """
    if samples == 0:
        return NO_SAMPLES_YET
    failed = sum(kinds.values())
    if failed < samples:
        return None
    named = sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    what = named[0][0] if len(named) == 1 else ", ".join(f"{k} {n}" for k, n in named)
    return f"the only sample failed: {what}" if samples == 1 else f"all {samples} failed: {what}"


def absent_reason(name: str, phase: str, *, good: int, reused: int, phases: bool) -> str:
    """Why no successful sample of backend ``name`` has a figure for ``phase``.

    ``NOT_TIMED`` with phases off (only download and total are timed);
    ``NO_SAMPLE`` when every send failed; ``NOT_OBSERVABLE`` for what the library
    never reports (httpx's DNS, aiohttp's TLS); ``REUSED`` for a connection phase
    when every send went over a pooled connection (none happened: saying "not
    observable" there would blame the library); else ``NOT_OBSERVABLE``.
    """
    if not phases and phase not in ("download", "total"):
        return NOT_TIMED
    if good == 0:
        return NO_SAMPLE
    if phase in registry.unobservable(name):
        return NOT_OBSERVABLE
    if phase in CONNECTION_PHASES and reused == good:
        return REUSED
    return NOT_OBSERVABLE


def _backend_summary(name: str, samples: Sequence[Sample], phases_on: bool) -> BackendSummary:
    good = [s for s in samples if s.ok]
    kinds = failure_kinds(samples)
    reused = sum(1 for s in good if s.reused)
    phases = {p: describe([s.timings.phase(p) for s in good]) for p in ALL_PHASES}
    return BackendSummary(
        name=name,
        samples=len(samples),
        failures=sum(kinds.values()),
        failure_kinds=kinds,
        reused=reused,
        phases=phases,
        absent={
            p: absent_reason(name, p, good=len(good), reused=reused, phases=phases_on)
            for p, stats in phases.items() if stats is None
        },
    )


def paired(result: BenchResult, first: str, second: str, phase: str) -> list[tuple[float, float]]:
    """(first, second) values of ``phase`` from runs where both succeeded and observed it."""
    by_run: dict[str, dict[int, float]] = {first: {}, second: {}}
    for sample in result.samples:
        value = sample.timings.phase(phase) if sample.ok else None
        if sample.backend in by_run and value is not None:
            by_run[sample.backend][sample.run] = value
    mine, theirs = by_run[first], by_run[second]
    return [(mine[run], theirs[run]) for run in sorted(mine) if run in theirs]


def summarise(result: BenchResult, *, resamples: int = DEFAULT_RESAMPLES,
              seed: int = DEFAULT_SEED) -> BenchSummary:
    """Statistics per backend and phase, and the first backend against each other one."""
    names = result.config.backends
    phases_on = result.config.settings.phases
    backends = {name: _backend_summary(name, result.for_backend(name), phases_on)
                for name in names}
    pairs = []
    for other in names[1:]:
        first = names[0]
        ratios = {
            phase: ratio_of_medians(paired(result, first, other, phase), resamples=resamples,
                                    seed=seed)
            for phase in ALL_PHASES
        }
        total = ratios["total"]
        pairs.append(PairSummary(first, other, ratios, wins(paired(result, first, other, "total")),
                                 verdict(first, other, total)))
    return BenchSummary(backends, tuple(pairs))


def environment() -> dict[str, Any]:
    """Where the figures were measured: library versions, Python, platform."""
    return {
        "libraries": registry.library_versions(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "notes": list(registry.speed_notes()),
    }


def bench_document(result: BenchResult, summary: BenchSummary | None = None) -> dict[str, Any]:
    """The JSON document of ``httpdiff bench --format json``: summary, samples, environment."""
    summary = summary or summarise(result)
    return {
        "request": {"method": result.spec.method, "url": result.spec.url},
        "settings": result.config.as_dict(),
        "environment": environment(),
        "cancelled": result.cancelled,
        "duration_s": result.duration,
        "backends": {
            name: {
                "samples": b.samples, "failures": b.failures, "failure_kinds": b.failure_kinds,
                "reused_connections": b.reused,
                "phases": {p: (s.as_dict() if s else None) for p, s in b.phases.items()},
                "absent_phases": b.absent,
            }
            for name, b in summary.backends.items()
        },
        "comparisons": [
            {
                "first": pair.first, "second": pair.second, "verdict": pair.verdict,
                "ratio_definition": "median(first) / median(second); below 1: first is faster",
                "ratios": {p: (r.as_dict() if r else None) for p, r in pair.ratios.items()},
                "faster_runs": {pair.first: pair.wins.first, pair.second: pair.wins.second,
                                "ties": pair.wins.ties},
            }
            for pair in summary.pairs
        ],
        "samples": [
            {
                "run": s.run, "backend": s.backend, "position": s.position, "ok": s.ok,
                "error": str(s.outcome.kind) if isinstance(s.outcome, Failure) else None,
                "reused": s.reused, "started_s": s.started, "ended_s": s.ended,
                "timings": s.timings.as_dict(),
            }
            for s in result.samples
        ],
    }
