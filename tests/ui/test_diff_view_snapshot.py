"""SVG snapshot of the diff view for a canned comparison (verdict, findings, body diff)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from .test_results_data import DiffHarness, both_comparison

SIZE = (160, 45)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_diff_view(snap_compare: Any) -> None:
    assert snap_compare(DiffHarness(both_comparison()), terminal_size=SIZE, run_before=_settle)
