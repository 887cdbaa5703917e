"""Large body: how long the app takes to show a 50 MB response body's first lines.

Run by hand: ``uv run python benchmarks/app_large_body.py [--runs N] [--size BYTES]``.
The app runs headless (``App.run_test``, 160x45) and is timed from the moment a
result reaches it until every response pane's body view has painted its first
non-empty line (``BodyView.render_line`` is wrapped to note the first such call).
Two paths are timed:

- canned: a fixed ``Comparison`` whose two snapshots carry a 50 MB text body is
  posted as ``ComparisonReady`` -- the UI's own cost (splitting into lines,
  highlighting what is on screen, the diff view's work on the bodies);
- live: the demo server's ``/large/{size}`` sent through httpx and aiohttp with
  the app's send path (Enter in the URL bar) -- transfer plus UI. The backends
  cap bodies at ``Settings.max_body_bytes`` (10 MB by default), so the panes show
  the first 10 MB, marked as cut; the figure says so.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.strip import Strip

from httpdiff.demo import DemoServer
from httpdiff.diff import findings
from httpdiff.model import (
    Comparison,
    ConnectionInfo,
    RequestSpec,
    ResponseSnapshot,
    SentRequest,
    Timings,
)
from httpdiff.noise import NoiseRules
from httpdiff.ui.app import HttpdiffApp
from httpdiff.ui.messages import ComparisonReady
from httpdiff.ui.widgets.body_view import BodyView

SIZE = (160, 45)
TIMEOUT_S = 120.0
FIRST_PAINT: dict[int, float] = {}  # id(BodyView) -> perf_counter of its first non-empty line


def _watch_first_paint() -> None:
    original = BodyView.render_line

    def render_line(self: BodyView, y: int) -> Strip:
        strip = original(self, y)
        if id(self) not in FIRST_PAINT and self.line_count > 1 and strip.cell_length:
            FIRST_PAINT[id(self)] = time.perf_counter()
        return strip

    BodyView.render_line = render_line  # type: ignore[method-assign]


def _body(size: int) -> bytes:
    line = b"%08d the quick brown fox jumps over the lazy dog, again and again...\n"
    count = size // 72 + 1
    return b"".join(line % i for i in range(count))[:size]


def canned(size: int) -> Comparison:
    body = _body(size)
    text = body.decode()
    url = "http://127.0.0.1:8000/large"
    outcomes = {}
    for name in ("httpx", "aiohttp"):
        outcomes[name] = ResponseSnapshot(
            backend=name, request=SentRequest("GET", url, ()), status=200, reason="OK",
            http_version="HTTP/1.1",
            headers=(("Content-Type", "text/plain"), ("Content-Length", str(size))),
            body=body, text=text, timings=Timings(total=100.0), connection=ConnectionInfo(),
        )
    return Comparison(RequestSpec(url=url), outcomes, findings(outcomes, NoiseRules()))


async def _until_painted(app: HttpdiffApp, started: float) -> float:
    views = list(app.query(BodyView))
    while time.perf_counter() - started < TIMEOUT_S:
        if views and all(id(v) in FIRST_PAINT for v in views):
            return max(FIRST_PAINT[id(v)] for v in views) - started
        await asyncio.sleep(0.005)
        views = list(app.query(BodyView))
    raise TimeoutError("the body views never painted")


async def time_canned(comparison: Comparison) -> float:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        FIRST_PAINT.clear()
        started = time.perf_counter()
        app.post_message(ComparisonReady(0, comparison, 100.0))
        return await _until_painted(app, started)


async def time_live(url: str) -> tuple[float, int, bool]:
    app = HttpdiffApp()
    async with app.run_test(size=SIZE) as pilot:
        app.open_request(RequestSpec(url=url))
        await pilot.pause()
        FIRST_PAINT.clear()
        started = time.perf_counter()
        await pilot.press("enter")
        seconds = await _until_painted(app, started)
        view = app.results.pane("httpx").body_view
        return seconds, view.size_bytes, view.truncated


def report(label: str, times: list[float]) -> None:
    print(f"  {label:<44} median {statistics.median(times) * 1000:7.0f} ms   "
          f"min {min(times) * 1000:7.0f} ms   max {max(times) * 1000:7.0f} ms   "
          f"({len(times)} runs)")


async def main_async(runs: int, size: int) -> None:
    _watch_first_paint()
    # the demo server logs each write to a client that hung up at its body cap: not news here
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    print(f"large body: time until the app shows the first lines of a {size / 2**20:.0f} MB "
          f"body, {SIZE[0]}x{SIZE[1]}, headless, {runs} runs each")
    comparison = canned(size)
    report("canned comparison (2 x 50 MB, UI only)",
           [await time_canned(comparison) for _ in range(runs)])
    with tempfile.TemporaryDirectory() as data:
        server = DemoServer(data_dir=Path(data)).start()
        try:
            url = f"{server.http_url}/large/{size}"
            results = [await time_live(url) for _ in range(runs)]
        finally:
            server.stop()
    report("live send of /large via the demo server", [t for t, _, _ in results])
    _, shown, cut = results[-1]
    print(f"    (each pane holds {shown / 2**20:.1f} MB{', cut at the body cap' if cut else ''})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size", type=int, default=50 * 2**20)
    args = parser.parse_args()
    asyncio.run(main_async(args.runs, args.size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
