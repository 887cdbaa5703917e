"""Fidelity: do the bench's figures agree with curl's on the same endpoint?

Run by hand: ``uv run python benchmarks/fidelity.py [--runs N]``. Starts the demo
server, benches ``/delay/0.05`` (the server waits 50 ms before answering) with
both backends, and times the same URL with ``curl -w '%{time_starttransfer}'``.
Both are measured warm (one connection reused: curl gets every URL in a single
invocation) and cold (a new connection each time: one curl process per request).

curl's ``time_starttransfer`` runs from the start of the transfer to the first
response byte, so the bench figure set beside it is "time to first byte from
start" = ``total - download`` (dns + connect + tls + send + wait). The bench's
own ``wait`` phase (request sent -> headers parsed) is shown too. A library
cannot beat the server's 50 ms; the excess over it is client plus loopback cost.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys

from httpdiff.bench import BenchResult, bench
from httpdiff.demo import DemoServer
from httpdiff.model import RequestSpec

CURL = shutil.which("curl") or "/usr/bin/curl"
SERVER_DELAY_MS = 50.0


def curl_ttfb(url: str, runs: int, *, cold: bool) -> list[float]:
    """curl's time_starttransfer in ms per request, warm (one process) or cold (one each)."""
    write_out = "%{time_starttransfer}\\n"
    if cold:
        times = []
        for _ in range(runs):
            out = subprocess.run([CURL, "-s", "-o", "/dev/null", "-w", write_out, url],
                                 capture_output=True, text=True, timeout=30, check=True)
            times.append(float(out.stdout) * 1000)
        return times
    command = [CURL, "-s", "-w", write_out]
    for _ in range(runs + 1):  # one extra as warm-up: its connect is not a warm figure
        command += [url, "-o", "/dev/null"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return [float(line) * 1000 for line in out.stdout.split()][1:]


def ttfb_from_start(result: BenchResult, name: str) -> list[float]:
    return [
        s.timings.total - s.timings.download
        for s in result.for_backend(name)
        if s.ok and s.timings.total is not None and s.timings.download is not None
    ]


def phase(result: BenchResult, name: str, which: str) -> list[float]:
    values = [s.timings.phase(which) for s in result.for_backend(name) if s.ok]
    return [v for v in values if v is not None]


def row(label: str, values: list[float]) -> str:
    if not values:
        return f"  {label:<34} (no samples)"
    median = statistics.median(values)
    return (f"  {label:<34} median {median:7.2f} ms   min {min(values):7.2f}   "
            f"excess over server delay {median - SERVER_DELAY_MS:+6.2f} ms   (n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    server = DemoServer().start()
    try:
        url = server.http_url.rstrip("/") + "/delay/0.05"
        print(f"fidelity: {url}, {args.runs} runs per client and mode, curl at {CURL}")
        for cold in (False, True):
            result = asyncio.run(bench(RequestSpec(url=url), runs=args.runs, warmup=2, cold=cold))
            curl = curl_ttfb(url, args.runs, cold=cold)
            print(f"\n{'cold (new connection each)' if cold else 'warm (connection reused)'}")
            print(row("curl time_starttransfer", curl))
            for name in result.config.backends:
                print(row(f"{name} ttfb from start (total-dl)", ttfb_from_start(result, name)))
                print(row(f"{name} wait phase", phase(result, name, "wait")))
            curl_median = statistics.median(curl)
            for name in result.config.backends:
                ttfb = ttfb_from_start(result, name)
                if ttfb:
                    gap = statistics.median(ttfb) - curl_median
                    print(f"  {name} - curl (medians): {gap:+.2f} ms")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
