"""Overhead: how many requests per second the bench loop gets, against a bare loop.

Run by hand: ``uv run python benchmarks/overhead.py [--requests N] [--rounds R]``.
Against the demo server's fast ``/echo`` route, on one reused connection, it
measures for each library:

- bare: the library alone (``httpx.AsyncClient.get`` / ``aiohttp.ClientSession.get``
  plus reading the body) in a plain loop;
- backend: httpdiff's backend ``send`` in a plain loop (adds tracing, header and
  body capture, the outcome snapshot);
- bench: ``httpdiff.bench.bench`` with that one backend (adds the loop itself:
  ordering, samples, clock stamps).

and prints requests/second and the ratios bench/bare and bench/backend (target
>= 0.95). Variants take turns round by round, so drift hits them all alike; the
figure per variant is its best round (as ``timeit`` takes the minimum: other load
on the machine only ever slows a round down), with the median shown beside it.
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
from httpdiff.model import RequestSpec

Loop = Callable[[int], Awaitable[float]]


async def timed(count: int, one: Callable[[], Awaitable[object]]) -> float:
    await one()  # the connection is open before the clock starts
    started = time.perf_counter()
    for _ in range(count):
        await one()
    return count / (time.perf_counter() - started)


async def measure(url: str, name: str, count: int,
                  rounds: int) -> dict[str, tuple[float, float]]:
    """(best, median) requests/second per variant."""
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

            async def bench_loop(n: int) -> float:
                result = await bench(spec, {name: backend}, runs=n, warmup=1)
                span = result.samples[-1].ended - result.samples[0].started
                return n / span

            bare = bare_httpx if name == "httpx" else bare_aiohttp
            variants: dict[str, Loop] = {
                "bare": lambda n: timed(n, bare),
                "backend": lambda n: timed(n, via_backend),
                "bench": bench_loop,
            }
            rates: dict[str, list[float]] = {key: [] for key in variants}
            order = list(variants)
            for turn in range(rounds):
                for key in order[turn % 3:] + order[:turn % 3]:
                    rates[key].append(await variants[key](count))
    return {key: (max(values), statistics.median(values)) for key, values in rates.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    server = DemoServer().start()
    try:
        url = server.http_url.rstrip("/") + "/echo"
        print(f"overhead: {url}, {args.requests} requests x {args.rounds} rounds per variant")
        for name in ("httpx", "aiohttp"):
            rates = asyncio.run(measure(url, name, args.requests, args.rounds))
            print(f"\n{name}")
            for key, (best, median) in rates.items():
                print(f"  {key:<8} best {best:7.0f} req/s   median {median:7.0f} req/s")
            to_bare = rates["bench"][0] / rates["bare"][0]
            to_backend = rates["bench"][0] / rates["backend"][0]
            print(f"  bench / bare library : {to_bare:.3f} (best rounds)  "
                  f"({'meets' if to_bare >= 0.95 else 'misses'} the 0.95 target)")
            print(f"  bench / backend send : {to_backend:.3f} (best rounds)  "
                  f"({'meets' if to_backend >= 0.95 else 'misses'} the 0.95 target)")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
