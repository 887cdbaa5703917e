"""Overhead in instructions: what httpdiff adds to each request, counted, not timed.

Run by hand: ``uv run python benchmarks/instructions.py [--requests N] [--jobs J]``.
Needs valgrind (``apt-get install valgrind``). ``overhead.py`` times the same
loops, and its per-round ratios move by ±5-8% on a shared machine; counting the
instructions the client process executes (valgrind's callgrind) gives the same
comparison without the noise: two runs agree within 1-2%.

Each variant runs in a process of its own under callgrind, against the demo
server's ``/echo`` (in a child process, not counted), once with N and once with
4N requests after a warm-up; the difference over 3N is the count per request, free
of start-up. The start-up heap is frozen (``gc.freeze``) before the loop, so that a
full collection, which would walk it, costs the same in both runs. Variants, per
library:

- bare: the library alone (``client.get`` / ``session.get`` and the body), as in
  ``overhead.py``;
- send: the backend's ``send``, timing only (what a bench sample costs without
  the loop);
- bench-np: ``httpdiff.bench.bench`` with ``--no-phases``;
- bench: ``httpdiff.bench.bench`` as ``httpdiff bench`` runs it.

The counts are user-space instructions; the kernel's share of a request (the
socket calls, the same for every variant) is not in them, so they overstate the
ratio a clock would see. ``overhead.py`` gives that ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

VARIANTS = ("bare", "send", "bench-np", "bench")
LIBRARIES = ("aiohttp", "httpx")
WARMUP = 20
_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


async def run_variant(url: str, library: str, variant: str, count: int) -> None:
    """The measured loop (in the process callgrind runs)."""
    import aiohttp
    import httpx

    from httpdiff import backends
    from httpdiff.backends import Settings
    from httpdiff.bench import bench
    from httpdiff.model import RequestSpec

    # A full collection walks the whole start-up heap (~40 M instructions): falling in one
    # run and not the other it would swamp the difference. Frozen, the heap is not walked.
    gc.collect()
    gc.freeze()
    if variant == "bare":
        if library == "httpx":
            async with httpx.AsyncClient(trust_env=False) as client:
                for _ in range(WARMUP + count):
                    (await client.get(url)).content  # noqa: B018 (the body is read)
        else:
            async with aiohttp.ClientSession() as session:
                for _ in range(WARMUP + count):
                    async with session.get(url) as response:
                        await response.read()
        return
    spec = RequestSpec(url=url)
    settings = Settings(keep_content=False, phases=variant != "bench-np")
    async with backends.create(library) as backend:
        if variant == "send":
            for _ in range(WARMUP + count):
                await backend.send(spec, settings)
        else:
            await bench(spec, {library: backend}, runs=count, warmup=WARMUP, settings=settings)


def instructions(url: str, library: str, variant: str, count: int, out_dir: Path) -> int:
    """Instructions callgrind counted for one run of a variant (start-up included)."""
    command = [
        "valgrind", "--tool=callgrind",
        f"--callgrind-out-file={out_dir}/{library}-{variant}-{count}.out",
        sys.executable, __file__, "--child", url, library, variant, str(count),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    match = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or match is None:
        tail = done.stderr.strip().splitlines()[-3:]
        raise SystemExit(f"{library} {variant}: callgrind run failed: {' | '.join(tail)}")
    return int(match.group(1))


def per_request(url: str, library: str, variant: str, count: int, out_dir: Path) -> float:
    low = instructions(url, library, variant, count, out_dir)
    high = instructions(url, library, variant, 4 * count, out_dir)
    return (high - low) / (3 * count)


def main() -> int:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _, _, url, library, variant, count = sys.argv
        asyncio.run(run_variant(url, library, variant, int(count)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100,
                        help="N: runs of N and 4N requests per variant")
    parser.add_argument("--jobs", type=int, default=2, help="variants counted at once")
    parser.add_argument("--library", choices=LIBRARIES, action="append",
                        help="only this library (repeatable; default both)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    from httpdiff.demo.process import DemoProcess

    libraries = tuple(args.library or LIBRARIES)
    server = DemoProcess().start()
    try:
        url = server.http_url.rstrip("/") + "/echo"
        print(f"instructions per request on {url} (callgrind; runs of {args.requests} and "
              f"{4 * args.requests} requests per variant)")
        with tempfile.TemporaryDirectory() as temp, ThreadPoolExecutor(args.jobs) as pool:
            jobs = {
                (library, variant): pool.submit(
                    per_request, url, library, variant, args.requests, Path(temp))
                for library in libraries for variant in VARIANTS
            }
            for library in libraries:
                bare = jobs[(library, "bare")].result()
                print(f"\n{library}\n  {'bare':<9} {bare:10,.0f}")
                for variant in VARIANTS[1:]:
                    count = jobs[(library, variant)].result()
                    print(f"  {variant:<9} {count:10,.0f}  +{count - bare:,.0f} "
                          f"(+{(count - bare) / bare:.0%} of bare)")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
