"""App send fidelity: a single send's timings in the app, next to the same send outside it.

Run by hand: ``uv run python benchmarks/app_send.py [--path P] [--sends N]``.
Against the demo server (in a child process), each of N sends is made twice:

- plain: ``httpdiff.compare.compare`` in a process with no UI (as ``httpdiff
  compare`` sends);
- app: ``HttpdiffApp.send``, the path Ctrl+J takes, in the app running headless
  (``App.run_test``, 160x45), which draws the pending panes, the Footer's keys and
  the results as it would on a terminal, with the GIL switch interval ``ui.run``
  sets for the app's lifetime.

Printed per backend: the median of each phase and of the total, and the total's
90th percentile. The two should agree: the app's drawing must not land in what
it measures. The app is given the demo server as ``--demo`` gives it, so its
send thread keeps off the server's CPU (``ui.send_loop``). Its sends alternate
with sends started at once ("at once"), without the wait for the app to go quiet
(``ui.quiet``), to show what that wait is for.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
from collections.abc import Sequence

from httpdiff import ui
from httpdiff.compare import Session, compare
from httpdiff.demo.process import DemoProcess
from httpdiff.model import Comparison, RequestSpec
from httpdiff.ui import app as app_module
from httpdiff.ui.app import HttpdiffApp

NAMES = ("httpx", "aiohttp")
PHASES = ("send", "wait", "download", "total")
# Bounded waits: a send that never finishes ends the script, not hangs it.
SEND_LIMIT_S = 30.0
PAUSE_S = 0.05


async def plain_sends(spec: RequestSpec, count: int) -> list[Comparison]:
    async with Session(NAMES) as session:
        await compare(spec, session)  # connections open before the first measured send
        results = []
        for _ in range(count):
            results.append(await compare(spec, session))
            await asyncio.sleep(PAUSE_S)
    return results


async def app_sends(spec: RequestSpec, count: int,
                    demo: DemoProcess) -> dict[str, list[Comparison]]:
    """``count`` sends each way, alternating: as the app sends, and started at once."""
    app = HttpdiffApp(requests=[spec], demo=demo)  # as ``httpdiff --demo`` runs it
    waits = app_module.until_quiet

    async def at_once() -> bool:
        return True

    results: dict[str, list[Comparison]] = {"app": [], "at once": []}
    async with app.run_test(size=(160, 45)):
        for index in range(2 * count + 1):  # the first opens the connections
            way = "app" if index % 2 else "at once"
            app_module.until_quiet = waits if way == "app" else at_once  # type: ignore[assignment]
            before = app.comparison
            app.send(spec)
            # Plain sleeps on the app's loop: a Pilot pause would make the app redraw.
            # Done when this send's comparison arrived: the outcomes come first (the
            # app is no longer sending) and the comparison a moment later.
            for _ in range(int(SEND_LIMIT_S / 0.01)):
                await asyncio.sleep(0.01)
                if app.comparison is not None and app.comparison is not before:
                    break
            else:
                raise SystemExit(f"send {index} did not finish in {SEND_LIMIT_S:.0f} s")
            if index:
                results[way].append(app.comparison)
            await asyncio.sleep(0.2)  # the results are drawn before the next send
    app_module.until_quiet = waits  # type: ignore[assignment]
    return results


def phase_values(results: Sequence[Comparison], name: str, phase: str) -> list[float]:
    values = []
    for comparison in results:
        outcome = comparison.outcomes.get(name)
        if outcome is not None and outcome.ok:
            value = outcome.timings.phase(phase)
            if value is not None:
                values.append(value)
    return values


def report(label: str, results: Sequence[Comparison]) -> None:
    print(f"  {label}: {len(results)} sends")
    for name in NAMES:
        cells = []
        for phase in PHASES:
            values = phase_values(results, name, phase)
            cells.append(f"{phase} {statistics.median(values):6.2f}" if values else f"{phase}   -")
        totals = sorted(phase_values(results, name, "total"))
        p90 = totals[min(len(totals) - 1, int(len(totals) * 0.9))] if totals else float("nan")
        print(f"  {label:<7} {name:<8} " + "  ".join(cells) + f"  (total p90 {p90:6.2f}) ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/delay/0.01", help="demo server route (default "
                        "/delay/0.01, a 10 ms endpoint)")
    parser.add_argument("--sends", type=int, default=30)
    args = parser.parse_args()
    server = DemoProcess().start()
    try:
        spec = RequestSpec(url=server.http_url.rstrip("/") + args.path)
        print(f"app send: {spec.url}, {args.sends} sends each, both backends in parallel"
              "; medians in ms")
        report("plain", asyncio.run(plain_sends(spec, args.sends)))
        interval = sys.getswitchinterval()
        sys.setswitchinterval(ui.SEND_SWITCH_INTERVAL_S)  # as ui.run does around app.run()
        try:
            for way, results in asyncio.run(app_sends(spec, args.sends, server)).items():
                report(way, results)
        finally:
            sys.setswitchinterval(interval)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
