"""The child side of ``httpdiff.bench.process``: ``python -m httpdiff.bench.worker``.

Reads one job line from stdin, runs the bench, and writes one JSON line per
event to stdout. A "stop" line, or the end of stdin, cancels the bench, which
then reports what it measured. Nothing else is written to stdout.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
from typing import Any

from httpdiff.bench.process import parse_job, sample_json
from httpdiff.bench.runs import BenchProgress, bench
from httpdiff.errors import HttpdiffError


def _emit(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _on_progress(progress: BenchProgress) -> None:
    if progress.latest is None:  # the last report after a stop: "done" says it
        return
    if progress.warming:
        _emit({"event": "warming", "done": progress.done, "total": progress.total})
    else:
        _emit({"event": "sample", "sample": sample_json(progress.latest),
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
    line = sys.stdin.readline()
    try:
        asyncio.run(_run(line))
    except (HttpdiffError, ValueError, KeyError, TypeError) as exc:
        _emit({"event": "error", "message": f"bad bench job: {exc}"})
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
