"""The timing lab: repeated, interleaved runs (``runs``) and their statistics (``summary``).

Everything is importable from here, as ``from httpdiff.bench import bench, summarise``.
"""

from __future__ import annotations

from httpdiff.bench.runs import (
    ALL_PHASES,
    BenchConfig,
    BenchProgress,
    BenchResult,
    Clock,
    OnCancel,
    ProgressCallback,
    Sample,
    bench,
)
from httpdiff.bench.summary import (
    BackendSummary,
    BenchSummary,
    PairSummary,
    bench_document,
    environment,
    failure_kinds,
    no_timings,
    paired,
    summarise,
)

__all__ = [
    "ALL_PHASES", "BackendSummary", "BenchConfig", "BenchProgress", "BenchResult",
    "BenchSummary", "Clock", "OnCancel", "PairSummary", "ProgressCallback", "Sample", "bench",
    "bench_document", "environment", "failure_kinds", "no_timings", "paired", "summarise",
]
