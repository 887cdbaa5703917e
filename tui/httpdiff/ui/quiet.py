"""Keeping the app's own drawing out of a send's timings.

Sends run on a thread of their own (``ui.send_loop``) but share the GIL with the
app's thread, and ``ui.run`` shortens the switch interval for the app's lifetime
so the drawing hands it over often. Starting a send still sets off a burst of
drawing over several frames, after the refresh the send already waited for: the
pending panes, and the Footer rebuilding its keys (Esc now cancels). A send
started into that burst shares the GIL with it from its first step.
``until_quiet`` starts the send once the app's thread has gone quiet instead, or
after ``QUIET_MAX_S`` of waiting, so a busy app still sends. Measured with sends
alternating in one app run (``benchmarks/app_send.py``), on ``/echo``: 3.4 ms
(httpx) and 1.5 ms (aiohttp) against 6.5 and 3.9 ms when started at once;
outside the app 4.6 and 2.0 ms.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

# Below this share of a tick spent on the app's thread, the app counts as quiet.
QUIET_SHARE = 0.2
QUIET_TICK_S = 0.005
QUIET_MAX_S = 0.3


async def until_quiet(
    max_wait: float = QUIET_MAX_S,
    tick: float = QUIET_TICK_S,
    share: float = QUIET_SHARE,
    *,
    cpu_clock: Callable[[], float] = time.thread_time,
    wall_clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> bool:
    """Sleep in ticks on this loop until one tick used under ``share`` of its time in CPU.

    The CPU is this thread's (``time.thread_time``): the app's loop, not the send
    thread or a bench child. Where that clock is coarse (Windows) a tick reads as
    quiet and the send starts at once. True once quiet, False once ``max_wait`` of
    waiting ran out (a callback that blocks the loop can stretch the last tick).
    """
    deadline = wall_clock() + max_wait
    while True:
        before_cpu, before = cpu_clock(), wall_clock()
        await sleep(tick)
        used, elapsed = cpu_clock() - before_cpu, wall_clock() - before
        if used < share * elapsed:
            return True
        if wall_clock() >= deadline:
            return False
