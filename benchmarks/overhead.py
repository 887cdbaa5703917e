"""Overhead: how many requests per second the bench loop gets, against a bare loop.

Run by hand: ``uv run python benchmarks/overhead.py [--requests N] [--rounds R] [--path P]
[--child-server]``.
Against the demo server's fast ``/echo`` route (or ``--path``), on one reused connection, it
measures for each library:

- bare: the library alone (``httpx.AsyncClient.get`` / ``aiohttp.ClientSession.get``
  plus reading the body) in a plain loop;
- backend: httpdiff's backend ``send`` in a plain loop, as a comparison sends
  (tracing, header and body capture, the outcome snapshot);
- bench: ``httpdiff.bench.bench`` with that one backend, as ``httpdiff bench``
  runs it (every phase timed, no content kept, plus the loop itself: ordering,
  samples, clock stamps);
- bench-np: the same with ``--no-phases`` (the libraries' tracing off: only
  download and total are timed).

Every round runs each variant once, in a rotating order, right after one
another; a variant's ratio to the bare loop is taken within each round, so drift
and other load on the machine (which come and go over seconds) hit both sides
of a ratio alike. Printed: requests/second (median over rounds) and, per variant,
the median of its per-round ratios with the interquartile range (target: >= 0.95)
and the time it adds to each request.

The demo server runs on a thread of this process by default, so it shares the
GIL with the loops; ``--child-server`` runs it in a process of its own, which
makes every request faster and so the same overhead a larger share.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

import aiohttp
import httpx

from httpdiff import backends
from httpdiff.backends import Settings
from httpdiff.bench import bench
from httpdiff.demo import DemoServer
from httpdiff.demo.process import DemoProcess
from httpdiff.model import RequestSpec

Loop = Callable[[int], Awaitable[float]]


async def timed(count: int, one: Callable[[], Awaitable[object]]) -> float:
    await one()  # the connection is open before the clock starts
    started = time.perf_counter()
    for _ in range(count):
        await one()
    return count / (time.perf_counter() - started)


async def measure(url: str, name: str, count: int, rounds: int) -> dict[str, list[float]]:
    """Requests/second of every variant, one value per round."""
    spec = RequestSpec(url=url)
    settings = Settings()
    async with httpx.AsyncClient(trust_env=False) as client, aiohttp.ClientSession() as session:

        async def bare_httpx() -> object:
            return (await client.get(url)).content

        async def bare_aiohttp() -> object:
            async with session.get(url) as response:
                return await response.read()

        backend = backends.create(name)
        async with backend:

            async def via_backend() -> object:
                return await backend.send(spec, settings)

            async def bench_loop(n: int, phases: bool = True) -> float:
                result = await bench(spec, {name: backend}, runs=n, warmup=1,
                                     settings=Settings(phases=phases))
                span = result.samples[-1].ended - result.samples[0].started
                return n / span

            bare = bare_httpx if name == "httpx" else bare_aiohttp
            variants: dict[str, Loop] = {
                "bare": lambda n: timed(n, bare),
                "backend": lambda n: timed(n, via_backend),
                "bench": bench_loop,
                "bench-np": lambda n: bench_loop(n, phases=False),
            }
            rates: dict[str, list[float]] = {key: [] for key in variants}
            order = list(variants)
            for turn in range(rounds):
                shift = turn % len(order)
                for key in order[shift:] + order[:shift]:
                    rates[key].append(await variants[key](count))
    return rates


def quartiles(values: list[float]) -> tuple[float, float, float]:
    low, median, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, median, high


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per round")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--path", default="/echo",
                        help="demo server route to measure (default /echo, the fastest; "
                        "e.g. /delay/0.001 for an endpoint that takes 1 ms)")
    parser.add_argument("--child-server", action="store_true",
                        help="run the demo server in a child process, not on a thread here")
    args = parser.parse_args()
    server = DemoProcess().start() if args.child_server else DemoServer().start()
    try:
        url = server.http_url.rstrip("/") + args.path
        where = "in a child process" if args.child_server else "on a thread of this process"
        print(f"overhead: {url} (server {where}), "
              f"{args.requests} requests x {args.rounds} rounds per variant")
        for name in ("httpx", "aiohttp"):
            rates = asyncio.run(measure(url, name, args.requests, args.rounds))
            print(f"\n{name}")
            for key, values in rates.items():
                print(f"  {key:<9} {statistics.median(values):7.0f} req/s (median of rounds)")
            for key, label in (("bench", "bench / bare library"),
                               ("bench-np", "bench --no-phases / bare library"),
                               ("backend", "backend send / bare library")):
                pairs = list(zip(rates[key], rates["bare"], strict=True))
                low, median, high = quartiles([mine / bare for mine, bare in pairs])
                added = statistics.median(1e6 / mine - 1e6 / bare for mine, bare in pairs)
                print(f"  {label:<33}: {median:.3f} (IQR {low:.3f}-{high:.3f}), "
                      f"+{added:.0f} µs a request  "
                      f"({'meets' if median >= 0.95 else 'misses'} the 0.95 target)")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
