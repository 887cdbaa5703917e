"""Benchmark ``httpdiff.diff.findings`` on large bodies: wall time and peak memory.

Run with ``uv run python benchmarks/diff_bench.py [--runs N] [--sizes 1,10,50]``.
Two synthetic ResponseSnapshots per case differ in a few scattered places (text: a
handful of edited, inserted and deleted lines; JSON: a few changed values in an array
of objects), which is the realistic shape: mostly equal, large. Time is the median of
``--runs`` runs without tracing; peak memory is measured in one separate run under
tracemalloc (which slows code down, so it never contributes to the time).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))

from httpdiff.diff import findings
from httpdiff.model import ResponseSnapshot, SentRequest

MB = 1024 * 1024
CHANGES = 20


def _snapshot(name: str, body: bytes, content_type: str) -> ResponseSnapshot:
    return ResponseSnapshot(
        backend=name,
        request=SentRequest("GET", "http://127.0.0.1/big", (("host", "127.0.0.1"),)),
        status=200, reason="OK", http_version="HTTP/1.1",
        headers=(("content-type", content_type), ("content-length", str(len(body)))),
        body=body, text=body.decode("utf-8"),
    )


def text_pair(size: int, rng: random.Random) -> tuple[bytes, bytes]:
    lines: list[str] = []
    total = 0
    while total < size:
        line = f"{len(lines):08d} {rng.getrandbits(64):016x} lorem ipsum dolor sit amet"
        lines.append(line)
        total += len(line) + 1
    other = list(lines)
    for _ in range(CHANGES):
        i = rng.randrange(len(other))
        action = rng.choice(("edit", "insert", "delete"))
        if action == "edit":
            other[i] += " (edited)"
        elif action == "insert":
            other.insert(i, "an inserted line")
        else:
            del other[i]
    return ("\n".join(lines) + "\n").encode(), ("\n".join(other) + "\n").encode()


def json_pair(size: int, rng: random.Random) -> tuple[bytes, bytes]:
    count = max(1, size // 200)  # about 200 bytes per object once encoded
    items = [
        {"id": i, "name": f"item-{i}", "price": round(rng.random() * 100, 2),
         "tags": ["a", "b", f"t{i % 7}"], "meta": {"active": i % 2 == 0, "rank": i % 13,
                                                   "note": "x" * 40}}
        for i in range(count)
    ]
    left = json.dumps({"data": items}).encode()
    for _ in range(CHANGES):
        items[rng.randrange(count)]["price"] = -1.0
    return left, json.dumps({"data": items}, indent=None).encode()


def measure(run: Callable[[], object], runs: int) -> tuple[float, float, int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    count = len(result) if isinstance(result, tuple) else 0
    return statistics.median(times), peak / MB, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1,10,50", help="body sizes in MB, comma-separated")
    args = parser.parse_args()
    rng = random.Random(20240601)
    print(f"findings() on two bodies with ~{CHANGES} scattered changes; "
          f"median of {args.runs} runs, peak memory under tracemalloc")
    print(f"{'kind':<6}{'size':>8}{'median s':>11}{'peak MiB':>11}{'findings':>10}")
    for kind, make, ctype in (("text", text_pair, "text/plain; charset=utf-8"),
                              ("json", json_pair, "application/json")):
        for size_mb in (float(s) for s in args.sizes.split(",")):
            left, right = make(int(size_mb * MB), rng)
            outcomes = {"a": _snapshot("a", left, ctype), "b": _snapshot("b", right, ctype)}
            seconds, peak, count = measure(lambda o=outcomes: findings(o), args.runs)
            print(f"{kind:<6}{size_mb:>6g}MB{seconds:>11.3f}{peak:>11.1f}{count:>10}")


if __name__ == "__main__":
    main()
