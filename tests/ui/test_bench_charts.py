"""The bench's pictures and tables as pure functions: geometry, n/o phases, table rows."""

from __future__ import annotations

import pytest

from httpdiff.bench import BenchConfig, BenchResult, Sample, summarise
from httpdiff.model import (
    ConnectionInfo,
    Failure,
    FailureKind,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.stats import NO_DIFFERENCE
from httpdiff.ui.widgets.bench_charts import axis_of, histogram_rows, phase_segments
from httpdiff.ui.widgets.bench_tables import ratio_rows, stats_rows, verdict_text


def test_histogram_rows_fill_the_tallest_bin_and_keep_lonely_values() -> None:
    rows = histogram_rows([1.0, 1.0, 1.0, 1.0, 10.0], 1.0, 10.0, bins=10, height=2)
    assert len(rows) == 2 and all(len(r) == 10 for r in rows)
    assert rows[0][0] == "█" and rows[1][0] == "█"  # the peak fills both rows
    assert rows[1][-1] != " "  # one outlier still shows in the bottom row
    assert set(rows[0][1:9]) == {" "}


def test_histogram_rows_of_nothing_are_blank() -> None:
    assert histogram_rows([], 0.0, 1.0, bins=5, height=1) == ["     "]


def test_phase_segments_stack_and_skip_unobservable_phases() -> None:
    medians = {"dns": None, "connect": 2.0, "tls": None, "send": 1.0, "wait": 5.0,
               "download": 2.0}
    segments = phase_segments(medians, axis_ms=10.0, width=20)
    assert [s[0] for s in segments] == ["connect", "send", "wait", "download"]
    assert segments == [("connect", 0, 4), ("send", 4, 2), ("wait", 6, 10), ("download", 16, 4)]


def test_a_tiny_phase_still_gets_a_cell() -> None:
    segments = phase_segments({"send": 0.001, "wait": 9.999}, axis_ms=10.0, width=10)
    assert segments[0] == ("send", 0, 1)
    assert all(length >= 1 for _, _, length in segments)


def test_axis_covers_the_median_total_or_the_stacked_phases() -> None:
    assert axis_of({"send": 1.0, "wait": 2.0, "total": 5.0}) == 5.0
    assert axis_of({"send": 3.0, "wait": 4.0, "total": 5.0}) == 7.0


def _result() -> BenchResult:
    spec = RequestSpec(url="http://127.0.0.1:1/x")
    samples = []
    for run in range(6):
        fast = Timings(connect=None, send=0.1, wait=1.0 + run * 0.01, download=0.1,
                       total=1.3 + run * 0.01)
        slow = Timings(dns=None, connect=None, tls=None, send=None, wait=2.0 + run * 0.01,
                       download=0.2, total=2.4 + run * 0.01)
        samples.append(Sample(run, "a", 0, Failure("a", FailureKind.CONNECT, "E", "x",
                                                    timings=fast) if run == 5 else
                              _ok("a", fast), 0.0, 0.0))
        samples.append(Sample(run, "b", 1, _ok("b", slow), 0.0, 0.0))
    return BenchResult(spec, BenchConfig(("a", "b"), 6, 0, 1, False), tuple(samples))


def _ok(name: str, timings: Timings) -> ResponseSnapshot:
    return ResponseSnapshot(backend=name, request=SentRequest("GET", "http://127.0.0.1:1/x", ()),
                            status=200, reason="OK", http_version="HTTP/1.1", headers=(),
                            body=b"", text="", timings=timings,
                            connection=ConnectionInfo(reused=True))


def test_stats_rows_show_failures_on_the_total_and_no_zero_for_unobservable() -> None:
    rows = [[str(c) for c in row] for row in stats_rows(summarise(_result(), resamples=50))]
    assert len(rows) == 2 * 7
    b_send = next(r for r in rows if r[0] == "b" and r[1] == "send")
    assert b_send[2] == "0" and b_send[4:] == ["n/o"] * 5
    a_total = next(r for r in rows if r[0] == "a" and r[1] == "total")
    assert a_total[2] == "5" and a_total[3].startswith("1 (connect 1)")
    assert not any("0.0" in cell for row in rows for cell in row[4:] if cell != "n/o")


def test_ratio_rows_and_verdict_name_the_faster_one() -> None:
    summary = summarise(_result(), resamples=200)
    rows = [[str(c) for c in row] for row in ratio_rows(summary)]
    total = next(r for r in rows if r[1] == "total")
    assert float(total[2]) == pytest.approx(1.32 / 2.42, rel=0.02)
    assert total[4] == "5"
    send = next(r for r in rows if r[1] == "send")
    assert send[3] == "not enough data"
    text = verdict_text(summary).plain
    assert "a is" in text and "faster" in text and NO_DIFFERENCE not in text
