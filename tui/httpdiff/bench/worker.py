"""The child side of ``httpdiff.bench.process``: ``python -m httpdiff.bench.worker``.

Reads one job line from stdin, runs the bench, and writes one JSON line per
event to stdout. A "stop" line, or the end of stdin, cancels the bench, which
then reports what it measured. Nothing else is written to stdout.

Lines go out in batches, at most every ``FLUSH_EVERY_S``, rather than one write
per sample: every write wakes the parent, whose CPU competes with this process
and, on loopback, with the server being measured. The worker keeps off the last
CPU, where the demo server runs (see ``httpdiff.affinity``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
import time
from typing import Any

from httpdiff.affinity import keep_client_apart
from httpdiff.bench.process import parse_job, sample_json
from httpdiff.bench.runs import BenchProgress, bench
from httpdiff.errors import HttpdiffError

FLUSH_EVERY_S = 0.1


class _Outbox:
    """Lines for stdout, written together at most every ``FLUSH_EVERY_S``; none waits longer."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.flushed = time.monotonic()
        self.timer: asyncio.TimerHandle | None = None

    def put(self, message: dict[str, Any], *, now: bool = False) -> None:
        self.lines.append(json.dumps(message))
        wait = FLUSH_EVERY_S - (time.monotonic() - self.flushed)
        if now or wait <= 0:
            self.flush()
        elif self.timer is None:
            # The next line may be long in coming (a slow request): do not hold this one.
            self.timer = asyncio.get_running_loop().call_later(wait, self.flush)

    def flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.lines:
            sys.stdout.write("\n".join(self.lines) + "\n")
            sys.stdout.flush()
            self.lines.clear()
        self.flushed = time.monotonic()


_OUT = _Outbox()


def _emit(message: dict[str, Any]) -> None:
    """Write ``message`` now, after anything still waiting."""
    _OUT.put(message, now=True)


def _on_progress(progress: BenchProgress) -> None:
    if progress.latest is None:  # the last report after a stop: "done" says it
        return
    if progress.warming:
        _OUT.put({"event": "warming", "done": progress.done, "total": progress.total})
    else:
        _OUT.put({"event": "sample", "sample": sample_json(progress.latest),
                  "done": progress.done, "total": progress.total})


async def _run(line: str) -> None:
    spec, config = parse_job(line)
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()

    def watch_stdin() -> None:
        # Blocking reads in a thread work the same for pipes on every platform.
        sys.stdin.readline()  # "stop", or "" at the end of input
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nothing to stop
            loop.call_soon_threadsafe(task.cancel)

    threading.Thread(target=watch_stdin, daemon=True).start()
    result = await bench(spec, names=config.backends, runs=config.runs, warmup=config.warmup,
                         concurrency=config.concurrency, cold=config.cold,
                         settings=config.settings, on_progress=_on_progress)
    _emit({"event": "done", "cancelled": result.cancelled, "duration": result.duration})


def main() -> int:
    keep_client_apart()
    line = sys.stdin.readline()
    try:
        asyncio.run(_run(line))
    except (HttpdiffError, ValueError, KeyError, TypeError) as exc:
        _emit({"event": "error", "message": f"bad bench job: {exc}"})
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
