"""Keeping the app's own work out of a send's timings.

Sends run on a thread of their own (``ui.send_loop``) but share the GIL with the
app's thread. Starting a send sets off a burst of UI work: the pending panes are
drawn, and the Footer rebuilds its keys (Esc now cancels), which restyles and
lays out the screen over several frames. A thread that wants the GIL waits up to
the interpreter's switch interval (5 ms) each time, so a 10 ms loopback request
through httpx read 44 ms in the app (its send phase 5.8 ms instead of 0.24) and
aiohttp's 17.5 ms instead of 12.8 (``benchmarks/app_send.py``). Two remedies:

- ``until_quiet``: the send starts once the app's thread has gone quiet (or
  after ``QUIET_MAX_S``, so a busy app still sends);
- ``quick_handover``: while a send is in flight the switch interval is
  ``SEND_SWITCH_INTERVAL_S``, so whatever the app draws meanwhile (an outcome
  that arrived, a key press) holds the GIL for a fraction of a millisecond at a
  time, not 5 ms.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

# Below this share of a tick spent on the app's thread, the app counts as quiet.
QUIET_SHARE = 0.2
QUIET_TICK_S = 0.005
QUIET_MAX_S = 0.3
SEND_SWITCH_INTERVAL_S = 0.0005


async def until_quiet(
    max_wait: float = QUIET_MAX_S, tick: float = QUIET_TICK_S, share: float = QUIET_SHARE
) -> bool:
    """Sleep in ticks on this loop until one tick used under ``share`` of its time in CPU.

    The CPU is this thread's (``time.thread_time``): the app's loop, not the send
    thread or a bench child. True once quiet, False if ``max_wait`` ran out first.
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


_handovers = 0
_saved_interval = 0.0


@contextmanager
def quick_handover(interval: float = SEND_SWITCH_INTERVAL_S) -> Iterator[None]:
    """Lower the interpreter's switch interval while the block runs (nesting allowed)."""
    global _handovers, _saved_interval
    if _handovers == 0:
        _saved_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, _saved_interval))
    _handovers += 1
    try:
        yield
    finally:
        _handovers -= 1
        if _handovers == 0:
            sys.setswitchinterval(_saved_interval)
