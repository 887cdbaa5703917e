"""The Bench tab against the demo server: a small run, Stop keeping partial results, bad input."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Switch, TabbedContent

from httpdiff.demo import DemoServer
from httpdiff.model import RequestSpec
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.widgets.bench_charts import BenchDistribution, BenchPhases
from httpdiff.ui.widgets.bench_view import BenchView
from httpdiff.ui.widgets.request_editor import RequestEditor

SIZE = (160, 45)


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await pilot.pause(0.02)


async def open_bench(pilot: Pilot[None], app: HttpdiffApp, spec: RequestSpec,
                     runs: int = 6, warmup: int = 1) -> BenchView:
    app.open_request(spec)
    await pilot.press("f8")
    await pilot.pause()
    view = app.query_one(BenchView)
    view.query_one("#bench-runs", Input).value = str(runs)
    view.query_one("#bench-warmup", Input).value = str(warmup)
    return view


def table_rows(view: BenchView, table_id: str) -> list[list[str]]:
    table = view.query_one(table_id, DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_small_bench_shows_statistics_charts_and_a_verdict(demo: DemoServer) -> None:
    progressed: list[Message] = []

    def hook(message: Message) -> None:
        if isinstance(message, BenchView.Progressed):
            progressed.append(message)

    app = HttpdiffApp()
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        view = await open_bench(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"))
        assert app.query_one("#views", TabbedContent).active == "bench-tab"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: view.final)
        assert not view.measuring and view.status_text.startswith("done: 12 samples")
        result = view.result
        assert result is not None and len(result.samples) == 12 and not result.cancelled
        assert {s.backend for s in result.samples} == {"httpx", "aiohttp"}
        rows = table_rows(view, "#bench-stats")
        totals = {r[0]: r for r in rows if r[1] == "total"}
        assert set(totals) == {"httpx", "aiohttp"}
        for row in totals.values():
            assert row[2] == "6" and row[3] == "0"
            assert row[5].endswith(("ms", "µs"))  # a median with a unit, never blank
        # httpx cannot see DNS: "n/o", never a zero
        dns = next(r for r in rows if r[0] == "httpx" and r[1] == "dns")
        assert dns[4:] == ["n/o"] * 5
        ratios = table_rows(view, "#bench-ratios")
        total_ratio = next(r for r in ratios if r[1] == "total")
        assert 0.05 < float(total_ratio[2]) < 20 and total_ratio[4] == "6"
        verdict = str(view.query_one("#bench-verdict").render())
        assert "httpx vs aiohttp:" in verdict
        assert "faster" in verdict or "no measurable" in verdict
        histogram = str(view.query_one(BenchDistribution).render())
        assert "httpx" in histogram and "n=6" in histogram and "█" in histogram
        # aiohttp's connections were reused (the warm-up opened them): no connect to show
        connect = next(r for r in rows if r[0] == "aiohttp" and r[1] == "connect")
        assert connect[4:] == ["reused"] * 5
        phases = str(view.query_one(BenchPhases).render())
        assert "n/o: dns" in phases and "reused: connect" in phases and "█" in phases
        # every sample and the warm-up produced a report; the queue may have merged some
        assert 1 <= len(progressed) <= 2 + 12 + 1


async def test_phases_off_measures_without_tracing(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await open_bench(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"), runs=3)
        await pilot.click("#bench-phases-on")
        assert not view.query_one("#bench-phases-on", Switch).value
        await pilot.press("ctrl+r")
        await until(pilot, lambda: view.final)
        result = view.result
        assert result is not None and not result.config.settings.phases
        assert len(result.samples) == 6 and all(s.ok for s in result.samples)
        rows = table_rows(view, "#bench-stats")
        wait = next(r for r in rows if r[0] == "aiohttp" and r[1] == "wait")
        assert wait[4:] == ["off"] * 5  # not timed, rather than not observable
        total = next(r for r in rows if r[0] == "aiohttp" and r[1] == "total")
        assert total[2] == "3"
        assert "phases off" in str(view.query_one(BenchPhases).render())


async def test_stop_keeps_the_partial_result(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await open_bench(pilot, app, RequestSpec(url=f"{demo.http_url}/delay/0.2"),
                                runs=50, warmup=0)
        view.query_one("#bench-start").focus()
        await pilot.press("enter")
        await until(pilot, lambda: view.measuring and view.result is not None
                    and len(view.result.samples) >= 3)
        started = asyncio.get_running_loop().time()
        await pilot.press("escape")
        await until(pilot, lambda: not view.measuring and view.final, timeout=5)
        assert asyncio.get_running_loop().time() - started < 3
        result = view.result
        assert result is not None and result.cancelled
        assert 3 <= len(result.samples) < 100
        assert view.status_text.startswith(f"stopped: kept {len(result.samples)} of 100")
        rows = table_rows(view, "#bench-stats")
        kept = sum(int(r[2]) for r in rows if r[1] == "total")
        assert kept == sum(1 for s in result.samples if s.ok)
        # the app is still usable: a new run starts and finishes
        view.query_one("#bench-runs", Input).value = "2"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: view.final and view.result is not None
                    and not view.result.cancelled)
        assert len(view.result.samples) == 4


async def test_an_invalid_request_shows_one_line_and_runs_nothing(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        bad = RequestSpec(url=f"{demo.http_url}/echo", headers=(("Bad Name", "x"),))
        view = await open_bench(pilot, app, bad)
        await pilot.press("ctrl+r")
        editor = app.query_one(RequestEditor)
        await until(pilot, lambda: editor.error_text != "")
        assert "invalid header name" in editor.error_text
        assert view.status_text.startswith("not started:") and "\n" not in view.status_text
        await pilot.pause(0.2)
        assert not view.measuring and view.result is None
        assert not [w for w in view.workers if w.group == "bench"]


async def test_bad_settings_are_named_and_nothing_runs(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await open_bench(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"), runs=0)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert view.status_text == "runs must be at least 1"
        assert not view.measuring and view.result is None


async def test_settings_fit_an_80_column_terminal(demo: DemoServer) -> None:
    app = HttpdiffApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_bench(pilot, app, RequestSpec(url=f"{demo.http_url}/echo"))
        await pilot.pause()
        for widget_id in ("#bench-concurrency", "#bench-phases-on", "#bench-start", "#bench-stop"):
            region = view.query_one(widget_id).region
            assert region.width > 0 and region.right <= 80, (widget_id, region)
