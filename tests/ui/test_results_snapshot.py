"""SVG snapshots of the response panes, from canned outcomes with fixed timings.

Regenerate with ``uv run pytest tests/ui/test_results_snapshot.py --snapshot-update``
after an intended visual change, and look at the report before committing.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import TabbedContent

from .test_results_data import ResultsHarness, both_comparison, failure_comparison

SIZE = (160, 45)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_both_backends(snap_compare: Any) -> None:
    app = ResultsHarness(both_comparison())
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_snapshot_headers_with_marks(snap_compare: Any) -> None:
    async def headers_tab(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        for tabs in pilot.app.query(TabbedContent):
            tabs.active = "tab-headers"
        await pilot.pause()

    app = ResultsHarness(both_comparison())
    assert snap_compare(app, terminal_size=SIZE, run_before=headers_tab)


def test_snapshot_timing_waterfall(snap_compare: Any) -> None:
    async def timing_tab(pilot: Pilot[Any]) -> None:
        await _settle(pilot)
        for tabs in pilot.app.query(TabbedContent):
            tabs.active = "tab-timing"
        await pilot.pause()

    app = ResultsHarness(both_comparison())
    assert snap_compare(app, terminal_size=SIZE, run_before=timing_tab)


def test_snapshot_failure_on_one_side(snap_compare: Any) -> None:
    app = ResultsHarness(failure_comparison())
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_snapshot_narrow_stacks(snap_compare: Any) -> None:
    app = ResultsHarness(both_comparison())
    assert snap_compare(app, terminal_size=(80, 40), run_before=_settle)
