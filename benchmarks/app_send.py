"""App send fidelity: a single send's timings in the app, next to the same send outside it.

Run by hand: ``uv run python benchmarks/app_send.py [--path P] [--sends N] [--raw]``.
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
send thread keeps off the server's CPU (``ui.send_loop``). ``--raw`` sends in the
app at once, without waiting for it to go quiet (``ui.quiet``), to show what that
wait is for.
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


async def app_sends(spec: RequestSpec, count: int, demo: DemoProcess) -> list[Comparison]:
    app = HttpdiffApp(requests=[spec], demo=demo)  # as ``httpdiff --demo`` runs it
    results: list[Comparison] = []
    async with app.run_test(size=(160, 45)):
        for index in range(count + 1):  # the first opens the connections
            before = app.comparison
            app.send(spec)
            # Plain sleeps on the app's loop: a Pilot pause would make the app redraw.
            for _ in range(int(SEND_LIMIT_S / 0.01)):
                await asyncio.sleep(0.01)
                if app.comparison is not before and not app.sending:
                    break
            else:
                raise SystemExit(f"send {index} did not finish in {SEND_LIMIT_S:.0f} s")
            if index and app.comparison is not None:
                results.append(app.comparison)
            await asyncio.sleep(0.2)  # the results are drawn before the next send
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
    for name in NAMES:
        cells = []
        for phase in PHASES:
            values = phase_values(results, name, phase)
            cells.append(f"{phase} {statistics.median(values):6.2f}" if values else f"{phase}   -")
        totals = sorted(phase_values(results, name, "total"))
        p90 = totals[min(len(totals) - 1, int(len(totals) * 0.9))] if totals else float("nan")
        print(f"  {label:<6} {name:<8} " + "  ".join(cells) + f"  (total p90 {p90:6.2f}) ms")


def without_waiting() -> None:
    """Patch the app's send path to start at once, as before ``ui.quiet`` (``--raw``)."""

    async def at_once() -> bool:
        return True

    app_module.until_quiet = at_once  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/delay/0.01", help="demo server route (default "
                        "/delay/0.01, a 10 ms endpoint)")
    parser.add_argument("--sends", type=int, default=30)
    parser.add_argument("--raw", action="store_true",
                        help="send in the app at once, without waiting for it to go quiet")
    args = parser.parse_args()
    if args.raw:
        without_waiting()
    server = DemoProcess().start()
    try:
        spec = RequestSpec(url=server.http_url.rstrip("/") + args.path)
        print(f"app send: {spec.url}, {args.sends} sends each, both backends in parallel"
              f"{' (the app sending at once)' if args.raw else ''}; medians in ms")
        report("plain", asyncio.run(plain_sends(spec, args.sends)))
        interval = sys.getswitchinterval()
        sys.setswitchinterval(ui.SEND_SWITCH_INTERVAL_S)  # as ui.run does around app.run()
        try:
            report("app", asyncio.run(app_sends(spec, args.sends, server)))
        finally:
            sys.setswitchinterval(interval)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
