"""An SVG snapshot of the Bench tab, built from a fixed ``BenchResult`` (no live timing).

Regenerate with ``uv run pytest tests/ui/test_bench_snapshot.py --snapshot-update`` after an
intended visual change, and look at the picture before committing.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Input

from httpdiff.bench import BenchConfig, BenchResult, Sample, summarise
from httpdiff.model import (
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
from httpdiff.ui.widgets import bench_tables
from httpdiff.ui.widgets.bench_view import BenchView

URL = "http://127.0.0.1:8000/echo"
RUNS = 12


def _outcome(name: str, run: int) -> Outcome:
    jitter = ((run * 7) % 5) * 0.05
    if name == "httpx":
        connect = 0.6 if run == 0 else None  # a new connection once, then reused
        timings = Timings(dns=None, connect=connect, tls=None, send=0.15, wait=0.9 + jitter,
                          download=0.1, total=1.4 + jitter + (connect or 0))
    else:
        if run == 7:
            return Failure(name, FailureKind.PROTOCOL, "aiohttp.ClientPayloadError",
                           "Response payload is not completed", timings=Timings(total=3.0))
        timings = Timings(dns=None, connect=None, tls=None, send=None, wait=1.3 + jitter,
                          download=0.08, total=1.7 + jitter)
    return ResponseSnapshot(
        backend=name, request=SentRequest("GET", URL, ()), status=200, reason="OK",
        http_version="HTTP/1.1", headers=(), body=b"{}", text="{}", timings=timings,
        connection=ConnectionInfo(remote_address="127.0.0.1:8000", reused=run > 0),
    )


def fixed_result() -> BenchResult:
    samples = []
    for run in range(RUNS):
        order = ("httpx", "aiohttp") if run % 2 == 0 else ("aiohttp", "httpx")
        for position, name in enumerate(order):
            samples.append(Sample(run, name, position, _outcome(name, run), run * 0.01,
                                  run * 0.01 + 0.002))
    config = BenchConfig(("httpx", "aiohttp"), RUNS, 2, 1, False)
    return BenchResult(RequestSpec(url=URL), config, tuple(samples), duration=0.25)


class BenchHarness(App[None]):
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(VARIABLES)

    def compose(self) -> ComposeResult:
        yield BenchView(id="bench")

    def on_mount(self) -> None:
        result = fixed_result()
        self.query_one(BenchView).show_result(result, summarise(result))


async def _steady(pilot: Pilot[Any]) -> None:
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
    pilot.app.set_focus(None)
    await pilot.pause()


def test_snapshot_bench_view(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The same picture whether or not this machine has sniffio: the note is shown.
    note = "sniffio is not installed: (the speed note as the verdict area shows it)"
    monkeypatch.setattr(bench_tables, "speed_notes", lambda: (note,))
    assert snap_compare(BenchHarness(), terminal_size=(160, 50), run_before=_steady)
