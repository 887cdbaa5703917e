"""A backend with no timings in the Bench tab: it says why, once, in every picture and table.

A bench stopped before a backend's first sample, or one whose every sample failed,
used to draw "not observable" and a row of "–" for each phase, as if the library
could not see them. These tests feed the bench widgets canned ``BenchResult``s
(through ``BenchView.Progressed``, as the bench worker does, or ``show_result``),
so nothing slow runs; the layout tests open the real app at three terminal sizes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable

from httpdiff.bench import BenchConfig, BenchProgress, BenchResult, Sample, summarise
from httpdiff.model import (
    PHASES,
    ConnectionInfo,
    Failure,
    FailureKind,
    Outcome,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.storage.themes import VARIABLES
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.widgets.bench_charts import BenchDistribution, BenchPhases
from httpdiff.ui.widgets.bench_view import BenchView

URL = "http://127.0.0.1:8000/delay/0.5"
NAMES = ("httpx", "aiohttp")


def _ok(name: str) -> ResponseSnapshot:
    timings = Timings(dns=None, connect=None, tls=None, send=0.25, wait=502.1, download=0.08,
                      total=504.0)
    return ResponseSnapshot(
        backend=name, request=SentRequest("GET", URL, ()), status=200, reason="OK",
        http_version="HTTP/1.1", headers=(), body=b"{}", text="{}", timings=timings,
        connection=ConnectionInfo(remote_address="127.0.0.1:8000", reused=True),
    )


def _failed(name: str, kind: FailureKind = FailureKind.CONNECT) -> Failure:
    return Failure(name, kind, "OSError", "[bold]refused[/]", timings=Timings(total=1.0))


def _result(outcomes: list[Outcome], *, runs: int = 20, cancelled: bool = True) -> BenchResult:
    samples = tuple(Sample(i, o.backend, 0, o, i * 0.5, i * 0.5 + 0.5)
                    for i, o in enumerate(outcomes))
    return BenchResult(RequestSpec(url=URL), BenchConfig(NAMES, runs, 2, 1, False), samples,
                       cancelled=cancelled, duration=2.73)


class BenchHarness(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLES)

    def compose(self) -> ComposeResult:
        yield BenchView(id="bench")


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await pilot.pause(0.02)


def rows(view: BenchView, table_id: str) -> list[list[str]]:
    table = view.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def shown(widget: Widget) -> list[str]:
    """The widget's lines as drawn on screen (after any wrapping or cropping)."""
    return [strip.text.rstrip() for strip in widget.render_lines(widget.region.reset_offset)]


def backend_lines(lines: list[str], name: str) -> list[str]:
    return [line for line in lines if line.lstrip().startswith(name)]


async def test_a_stopped_bench_says_which_backend_has_no_samples_yet() -> None:
    app = BenchHarness()
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.query_one(BenchView)
        result = _result([_ok("httpx")])  # stopped after one sample: aiohttp has none
        # the worker's last report: the stopped result, as the bench thread posts it
        view.post_message(BenchView.Progressed(0, BenchProgress(result, None, 1, 40)))
        await until(pilot, lambda: view.final)
        assert view.status_text.startswith("stopped: kept 1 of 40 samples")

        phases = shown(view.query_one(BenchPhases))
        (aiohttp,) = backend_lines(phases, "aiohttp")
        assert aiohttp.split() == ["aiohttp", "no", "samples", "yet"]
        text = "\n".join(phases)
        assert "not observable by that library" in text  # the legend, and only there
        assert text.count("not observable") == 1 and "–:" not in text
        assert "httpx" in text and "504.0 ms" in text  # the measured one is drawn as before

        distribution = shown(view.query_one(BenchDistribution))
        assert backend_lines(distribution, "aiohttp")[0].split()[1:] == ["no", "samples", "yet"]
        assert "n=0" not in "\n".join(distribution) and "n=1" in "\n".join(distribution)

        stats = [r for r in rows(view, "#bench-stats") if r[0] == "aiohttp"]
        assert stats == [["aiohttp", "no samples yet", "0", "0", "", "", "", "", ""]]
        assert len([r for r in rows(view, "#bench-stats") if r[0] == "httpx"]) == 7
        (ratio,) = rows(view, "#bench-ratios")
        assert ratio[0] == "httpx / aiohttp" and ratio[3] == "aiohttp: no samples yet"
        verdict = str(view.query_one("#bench-verdict").render())
        assert "not enough data to compare (aiohttp: no samples yet)" in verdict


async def test_a_backend_whose_samples_all_failed_says_so() -> None:
    app = BenchHarness()
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.query_one(BenchView)
        outcomes: list[Outcome] = []
        for _ in range(3):
            outcomes += [_ok("httpx"), _failed("aiohttp")]
        outcomes.append(_failed("aiohttp", FailureKind.TIMEOUT))
        result = _result(outcomes, runs=4, cancelled=False)
        view.show_result(result, summarise(result, resamples=50))
        await pilot.pause()
        why = "all 4 failed: connect 3, timeout 1"
        phases = shown(view.query_one(BenchPhases))
        assert " ".join(backend_lines(phases, "aiohttp")[0].split()) == f"aiohttp {why}"
        distribution = shown(view.query_one(BenchDistribution))
        assert " ".join(backend_lines(distribution, "aiohttp")[0].split()) == f"aiohttp {why}"
        stats = [r for r in rows(view, "#bench-stats") if r[0] == "aiohttp"]
        assert stats == [["aiohttp", why, "0", "4 (connect 3, timeout 1)", "", "", "", "", ""]]
        assert f"(aiohttp: {why})" in str(view.query_one("#bench-verdict").render())
        # a failure's message is server text: never markup, and not shown in the charts
        assert "refused" not in "\n".join(phases + distribution)


async def test_when_every_backend_failed_the_distribution_names_each() -> None:
    app = BenchHarness()
    async with app.run_test(size=(160, 45)) as pilot:
        view = app.query_one(BenchView)
        result = _result([_failed("httpx"), _failed("aiohttp")], runs=1, cancelled=False)
        view.show_result(result, summarise(result, resamples=50))
        await pilot.pause()
        distribution = shown(view.query_one(BenchDistribution))
        assert [" ".join(line.split()) for line in distribution[1:3]] == [
            "httpx the only sample failed: connect", "aiohttp the only sample failed: connect"]
        phases = shown(view.query_one(BenchPhases))
        assert "axis" not in "\n".join(phases)  # no bar anywhere: no axis to read


LEGEND = [f"█ {'wait*' if p == 'wait' else p}" for p in PHASES] + [
    "╌ rest of total", "n/o = not observable by that library;", "* wait ends at parsed headers"]


@pytest.mark.parametrize("size", [(160, 45), (100, 30), (80, 24)])
async def test_the_phase_legend_never_breaks_inside_an_item(size: tuple[int, int]) -> None:
    app = HttpdiffApp([RequestSpec(url=URL)])  # with the sidebar, as --demo opens
    async with app.run_test(size=size) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        view = app.query_one(BenchView)
        result = _result([_ok("httpx"), _ok("aiohttp")], runs=1, cancelled=False)
        view.show_result(result, summarise(result, resamples=50))
        await pilot.pause()
        phases = view.query_one(BenchPhases)
        lines = [line.strip() for line in shown(phases)]
        assert lines and all(len(line) <= phases.size.width for line in lines)
        axis = next(i for i, line in enumerate(lines) if "axis" in line)
        legend = lines[axis + 1:]
        for item in LEGEND:
            assert any(item in line for line in legend), (item, legend)
        for line in legend:  # a whole number of items: none starts or ends inside one
            rest = line
            for item in LEGEND:
                rest = rest.replace(item, "")
            assert not rest.strip(), (line, rest)
