"""Pilot tests for ResultsView and its panes, from canned outcomes."""

from __future__ import annotations

import json
from dataclasses import replace

from textual.widgets import Static, TabbedContent

from httpdiff.model import Comparison
from httpdiff.ui.widgets.headers_view import HeadersView
from httpdiff.ui.widgets.request_view import RequestView
from httpdiff.ui.widgets.response_pane import SPINNER_AFTER_S, FindInput, ResponsePane
from httpdiff.ui.widgets.results_view import ResultsView
from httpdiff.ui.widgets.summary_line import SummaryLine
from httpdiff.ui.widgets.timing_view import TimingView

from .test_results_data import (
    HOSTILE,
    SPEC,
    ResultsHarness,
    aiohttp_snapshot,
    both_comparison,
    comparison_of,
    failure_comparison,
    httpx_snapshot,
)

SIZE = (160, 45)


def summary(pane: ResponsePane) -> str:
    return str(pane.query_one(SummaryLine).render())


def headers(pane: ResponsePane) -> dict[str, tuple[str, str]]:
    rows = pane.query_one(".response-headers", HeadersView).row_texts()
    return {name: (mark, value) for mark, name, value in rows}


async def test_comparison_fills_both_panes_with_marks() -> None:
    app = ResultsHarness(both_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ResultsView)
        assert view.backends == ("httpx", "aiohttp")
        httpx, aiohttp = view.pane("httpx"), view.pane("aiohttp")
        assert "200 OK" in summary(httpx) and "HTTP/1.1" in summary(httpx)
        assert "7.1 ms" in summary(httpx) and "14.2 ms" in summary(aiohttp)
        assert headers(httpx)["Server"] == ("differs", "demo/1")
        assert headers(httpx)["Date"][0] == "noise"
        assert headers(httpx)["Content-Type"][0] == "same"
        assert headers(aiohttp)["X-Only-Aiohttp"] == ("only here", "yes")
        # Duplicates are kept, in received order.
        rows = httpx.query_one(".response-headers", HeadersView).row_texts()
        assert [v for _, n, v in rows if n == "Set-Cookie"] == ["a=1", "b=2"]
        sent = httpx.query_one(RequestView).query_one(HeadersView).row_texts()
        assert ("differs", "User-Agent", "python-httpx/0.28.1") in sent
        assert ("noise", "Connection", "keep-alive") in sent
        # The waterfall axis is the slowest total of all panes, in both panes.
        assert httpx.query_one(TimingView).axis_ms == 14.2
        assert aiohttp.query_one(TimingView).axis_ms == 14.2
        assert '  "items": [' in httpx.body_view.lines


async def test_outcome_before_comparison_has_no_marks() -> None:
    app = ResultsHarness()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ResultsView)
        view.show_pending(("httpx", "aiohttp"))
        pane = view.pane("httpx")
        # The spinner waits: a fast send never pays for its repaints. (Checked before any
        # pause: under load one pause can outlast the wait.)
        assert not pane.query_one(TabbedContent).loading
        await pilot.pause()
        assert "sending" in summary(pane)
        await pilot.pause(SPINNER_AFTER_S + 0.1)
        assert pane.query_one(TabbedContent).loading
        view.show_outcome("httpx", httpx_snapshot())
        await pilot.pause()
        assert not pane.query_one(TabbedContent).loading
        assert "200" in summary(pane)
        assert headers(pane)["Server"] == ("", "demo/1")
        assert view.pane("aiohttp").query_one(TabbedContent).loading
        view.clear()
        await pilot.pause()
        assert "no response yet" in summary(pane)


async def test_failure_on_one_side_and_hostile_text_stay_literal() -> None:
    app = ResultsHarness(failure_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ResultsView)
        failed = view.pane("aiohttp")
        text = summary(failed)
        assert "✗ connect" in text and "ClientConnectorError" in text
        assert "[@click=app.quit]q[/]" in text and "\x1b" not in text
        assert any("Cannot connect" in line for line in failed.body_view.lines)
        value = headers(view.pane("httpx"))["X-Hostile"][1]
        assert value == "[bold]x[/] [@click=app.quit]q[/] ␛[31mred␛[0m"
        # Clicking the rendered hostile text must not run its would-be action.
        await pilot.click(failed.query_one(SummaryLine), offset=(60, 0))
        await pilot.pause()
        assert app.is_running


async def test_narrow_terminal_stacks_panes() -> None:
    app = ResultsHarness(both_comparison())
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(ResultsView)
        assert view.has_class("-narrow")
        first, second = view.pane("httpx").region, view.pane("aiohttp").region
        assert first.x == second.x and second.y > first.y
    app = ResultsHarness(both_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ResultsView)
        first, second = view.pane("httpx").region, view.pane("aiohttp").region
        assert not view.has_class("-narrow") and first.y == second.y and second.x > first.x


async def test_single_backend_and_three_backends() -> None:
    app = ResultsHarness()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ResultsView)
        view.set_backends(("httpx",))
        await pilot.pause()
        assert len(app.query(ResponsePane)) == 1
        assert app.query_one(ResponsePane).region.width > 150
        third = replace(aiohttp_snapshot(), backend="urllib3")
        view.show_comparison(comparison_of(httpx_snapshot(), aiohttp_snapshot(), third))
        await pilot.pause()
        assert [p.backend for p in app.query(ResponsePane)] == ["httpx", "aiohttp", "urllib3"]


def _json_body(lines: int) -> bytes:
    # A flat list of small objects pretty-prints to about ``lines`` lines.
    return json.dumps([{"index": i, "tag": f"t{i}"} for i in range(lines // 4)]).encode()


async def test_ten_thousand_line_json_scrolls_and_scrolls_together() -> None:
    body = _json_body(10_000)
    a, b = httpx_snapshot(body), aiohttp_snapshot(body)
    app = ResultsHarness(Comparison(SPEC, {"httpx": a, "aiohttp": b}, ()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ResultsView)
        left, right = view.pane("httpx").body_view, view.pane("aiohttp").body_view
        assert left.line_count >= 10_000
        left.focus()
        for _ in range(20):
            await pilot.press("pagedown")
        await pilot.press("end")
        await pilot.pause()
        assert left.scroll_y > 9_000
        assert right.scroll_y == left.scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert right.scroll_y == 0
        await pilot.press("s")  # sync-scroll off
        await pilot.press("pagedown")
        await pilot.pause()
        assert left.scroll_y > 0 and right.scroll_y == 0


async def test_fifty_megabyte_body_stays_responsive() -> None:
    line = "0123456789abcdef" * 8 + "\n"
    body = (line * (50 * 1024 * 1024 // len(line))).encode()
    snap = replace(
        httpx_snapshot(body), headers=(("Content-Type", "text/plain"),), text=body.decode()
    )
    app = ResultsHarness(Comparison(SPEC, {"httpx": snap}, ()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ResponsePane)
        pane.body_view.focus()
        await pilot.press("end", "pageup", "home")
        assert pane.body_view.line_count > 400_000
        assert pane.find("89abcdef0123") .endswith("+")  # capped match count
        await pilot.press("n")
        assert pane.body_view.current_match == (0, 24)


async def test_minified_single_line_body_renders_only_the_visible_slice() -> None:
    body = ("x" * 2_000_000).encode()
    snap = replace(httpx_snapshot(body), headers=(), text=body.decode())
    app = ResultsHarness(Comparison(SPEC, {"httpx": snap}, ()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ResponsePane).body_view
        strip = view.render_line(0)
        assert strip.cell_length == view.size.width


async def test_find_next_prev_and_raw_toggle() -> None:
    app = ResultsHarness(both_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ResultsView).pane("httpx")
        pane.body_view.focus()
        await pilot.press("ctrl+f")
        assert isinstance(app.focused, FindInput)
        await pilot.press(*"true", "enter")
        assert pane.body_view.match_status == "1/1"
        await pilot.press("escape")
        assert app.focused is pane.body_view
        assert pane.find('"') == "1/14"
        await pilot.press("n")
        assert pane.body_view.match_status == "2/14"
        await pilot.press("N", "N")
        assert pane.body_view.match_status == "14/14"
        await pilot.pause()
        assert str(pane.query_one(".find-status", Static).render()) == "14/14"
        await pilot.press("r")
        assert pane.body_view.raw and pane.body_view.line_count == 1
        assert "raw" in pane.body_view.notice
        await pilot.press("r")
        assert pane.body_view.line_count > 1


async def test_truncated_body_says_so() -> None:
    snap = replace(httpx_snapshot(), truncated=True)
    app = ResultsHarness(Comparison(SPEC, {"httpx": snap}, ()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        pane = app.query_one(ResponsePane)
        assert "body capped at" in pane.body_view.notice
        assert "(capped)" in summary(pane)


async def test_hostile_text_body_is_literal_when_rendered() -> None:
    text = f"{HOSTILE}\nsecond line\n"
    snap = replace(httpx_snapshot(text.encode()), headers=(), text=text)
    app = ResultsHarness(Comparison(SPEC, {"httpx": snap}, ()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ResponsePane).body_view
        rendered = "".join(segment.text for segment in view.render_line(0))
        assert rendered.startswith("[bold]x[/] [@click=app.quit]q[/] ␛[31mred␛[0m")
        await pilot.click(view, offset=(14, 0))
        assert app.is_running


async def test_maximize_pane_toggles() -> None:
    app = ResultsHarness(both_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ResultsView)
        view.pane("aiohttp").body_view.focus()
        await pilot.press("z")
        assert app.screen.maximized is view.pane("aiohttp")
        await pilot.press("z")
        assert app.screen.maximized is None
