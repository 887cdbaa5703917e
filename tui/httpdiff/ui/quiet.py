"""Keeping the app's own drawing out of a send's timings.

Sends run on a thread of their own (``ui.send_loop``) but share the GIL with the
app's thread, and ``ui.run`` shortens the switch interval for the app's lifetime
so the drawing hands it over often. Starting a send still sets off a burst of
drawing over several frames, after the refresh the send already waited for: the
pending panes, and the Footer rebuilding its keys (Esc now cancels). A send
started into that burst shares the GIL with it from its first step: on a 10 ms
loopback route a send read 15-17 ms in the app against 12.5-14.5 ms outside it
(``benchmarks/app_send.py --raw``). ``until_quiet`` starts the send once the
app's thread has gone quiet instead, or after ``QUIET_MAX_S``, so a busy app
still sends.
"""

from __future__ import annotations

import asyncio
import time

# Below this share of a tick spent on the app's thread, the app counts as quiet.
QUIET_SHARE = 0.2
QUIET_TICK_S = 0.005
QUIET_MAX_S = 0.3


async def until_quiet(
    max_wait: float = QUIET_MAX_S, tick: float = QUIET_TICK_S, share: float = QUIET_SHARE
) -> bool:
    """Sleep in ticks on this loop until one tick used under ``share`` of its time in CPU.

    The CPU is this thread's (``time.thread_time``): the app's loop, not the send
    thread or a bench child. Where that clock is coarse (Windows) a tick reads as
    quiet and the send starts at once. True once quiet, False if ``max_wait`` ran
    out first.
    """
    deadline = time.monotonic() + max_wait
    while True:
        before_cpu, before = time.thread_time(), time.monotonic()
        await asyncio.sleep(tick)
        used, elapsed = time.thread_time() - before_cpu, time.monotonic() - before
        if used < share * elapsed:
            return True
        if time.monotonic() >= deadline:
            return False
