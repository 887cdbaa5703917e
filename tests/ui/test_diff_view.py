"""Pilot tests for DiffView: verdict, order, noise marking by key and click, body diff."""

from __future__ import annotations

from dataclasses import replace

from httpdiff.model import Category, Verdict
from httpdiff.noise import NoiseRule
from httpdiff.ui.widgets.body_diff_view import BodyDiffView
from httpdiff.ui.widgets.diff_view import ACTION_COLUMN, DiffView, FindingsTable, ordered

from .test_results_data import (
    DiffHarness,
    aiohttp_snapshot,
    both_comparison,
    comparison_of,
    failure_comparison,
    httpx_snapshot,
)

SIZE = (160, 45)


def row_index(view: DiffView, subject: str) -> int:
    return next(i for i, row in enumerate(view.row_texts()) if row[1] == subject)


async def settle(pilot: object) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_verdict_and_order() -> None:
    comparison = both_comparison()
    app = DiffHarness(comparison)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DiffView)
        count = len(comparison.differences)
        assert f"✗ {count} differences" in view.verdict_text
        rows = view.row_texts()
        assert rows[0][1] == "differences · request-header"
        verdicts = [row[0] for row in rows if row[0]]
        assert verdicts == sorted(verdicts, key=lambda v: v != "≠"), "differences first"
        # Every backend's value in its own column.
        server = rows[row_index(view, "server")]
        assert server[2:4] == ["demo/1", "demo/2"]
        assert server[4] == "[mark noise]"


async def test_equivalent_comparison() -> None:
    same = httpx_snapshot()
    twin = replace(same, backend="aiohttp")
    app = DiffHarness(comparison_of(same, twin))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DiffView)
        assert "✓ equivalent" in view.verdict_text
        assert "identical" in view.query_one(BodyDiffView).description


async def test_mark_header_as_noise_with_key_then_unmark() -> None:
    comparison = both_comparison()
    before = len(comparison.differences)
    app = DiffHarness(comparison)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DiffView)
        table = view.query_one(FindingsTable)
        table.focus()
        table.move_cursor(row=row_index(view, "server"))
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.marked[-1], DiffView.NoiseMarked)
        assert app.marked[-1].rule == NoiseRule("header", "server")
        assert len(app.comparison.differences) == before - 1
        assert f"{before - 1} differences" in view.verdict_text
        server = view.row_texts()[row_index(view, "server")]
        assert server[0] == "~" and server[4] == "[unmark]"
        table.move_cursor(row=row_index(view, "server"))
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.marked[-1], DiffView.NoiseUnmarked)
        assert app.marked[-1].rule == NoiseRule("header", "server")
        assert f"{before} differences" in view.verdict_text


async def test_mark_json_path_with_a_click() -> None:
    comparison = both_comparison()
    app = DiffHarness(comparison)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DiffView)
        table = view.query_one(FindingsTable)
        row = row_index(view, "$.items[2]")
        columns = [c.key.value for c in table.ordered_columns]
        before = table.ordered_columns[: columns.index(ACTION_COLUMN)]
        x = sum(c.get_render_width(table) for c in before)
        y = 1 + row  # the header line, then rows
        assert await pilot.click(FindingsTable, offset=(x + 2, y))
        await pilot.pause()
        assert app.marked and app.marked[-1].rule == NoiseRule("json-path", "$.items[2]")
        body = [f for f in app.comparison.findings if f.category is Category.BODY]
        assert body and all(f.verdict is Verdict.NOISE for f in body)


async def test_unmarkable_rows_post_nothing() -> None:
    app = DiffHarness(both_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DiffView)
        table = view.query_one(FindingsTable)
        table.focus()
        for subject in ("hops", "differences · header", "date"):
            table.move_cursor(row=row_index(view, subject))
            await pilot.press("m")
        await pilot.pause()
        assert app.marked == []


async def test_body_diff_json_by_path_and_text_rows() -> None:
    app = DiffHarness(both_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = app.query_one(BodyDiffView).rows
        assert [(r.left, r.right) for r in rows] == [("$.items[2] = 3", "$.items[2] = 4")]
    left = replace(httpx_snapshot(b"a\nb\nc\n"), headers=(), text="a\nb\nc\n")
    right = replace(aiohttp_snapshot(b"a\nB\nc\nd\n"), headers=(), text="a\nB\nc\nd\n")
    app = DiffHarness(comparison_of(left, right))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        body = app.query_one(BodyDiffView)
        assert [r.tag for r in body.rows] == ["equal", "replace", "equal", "insert"]
        assert "by line" in body.description


async def test_failure_and_hostile_values_literal() -> None:
    app = DiffHarness(failure_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DiffView)
        outcome = view.row_texts()[row_index(view, "outcome")]
        assert outcome[2] == "ok"
        assert outcome[3].startswith("connect: Cannot connect")
        assert "[@click=app.quit]" in outcome[3] and "\x1b" not in outcome[3]
        assert "needs two responses" in str(view.query_one("#body-diff-title").render())
        await pilot.click(FindingsTable, offset=(60, 1 + row_index(view, "outcome")))
        assert app.is_running


def test_ordered_puts_differences_first() -> None:
    comparison = both_comparison()
    findings = ordered(tuple(reversed(comparison.findings)))
    flags = [f.is_difference for f in findings]
    assert flags == sorted(flags, reverse=True)


async def test_clear() -> None:
    app = DiffHarness(both_comparison())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = app.query_one(DiffView)
        view.clear()
        await pilot.pause()
        assert view.row_texts() == [] and "no comparison" in view.verdict_text
